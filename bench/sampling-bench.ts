// Sampling: what reading CPU, memory and traffic of 200 replicas each second costs the
// orchestrator. The same 200 `sleep` replicas run twice, once with the sampler off and once
// sampling at its fast pace (as while a dashboard is open); the orchestrator's own CPU
// (process.cpuUsage of this process, where it runs) is compared over the same window.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseApplication } from '../src-main/core/config/load-application'
import { Orchestrator } from '../src-main/core/orchestrator'
import { Watchers } from '../src-main/core/resources/watchers'
import { sleepersYaml } from './scale-bench'

export interface SamplingFigures {
  replicas: number
  windowSeconds: number
  /** percent of one core, the orchestrator idle with its replicas running */
  cpuPercentWithoutSampling: number
  cpuPercentWithSampling: number
  /** the difference: what sampling costs, percent of one core */
  samplingCostPercent: number
  samples: number
  meanSampleMs: number
  rounds: { without: number[]; with: number[] }
}

const REPLICAS = 200

async function oneRun(sampling: boolean, windowMs: number, dir: string): Promise<{ cpuPercent: number; samples: number; sampleMs: number }> {
  const loaded = parseApplication(sleepersYaml(), join(dir, 'app.yaml'))
  if (!loaded.ok) throw new Error(`bench app.yaml: ${JSON.stringify(loaded.problems)}`)
  const watchers = new Watchers()
  const looking = watchers.hold()
  const orchestrator = new Orchestrator(loaded.application, { watchers, sampling: { enabled: sampling } })
  let samples = 0
  let lastAt = 0
  orchestrator.subscribe((event) => {
    if (event.type !== 'resources') return
    samples++
    lastAt = event.sample.time
  })
  try {
    await orchestrator.start()
    // every replica launched and settled before the window opens
    const deadline = Date.now() + 30_000
    while (orchestrator.services().some((s) => s.replicaStatuses.some((r) => r.state !== 'ready' && r.state !== 'running')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
    }
    await new Promise((r) => setTimeout(r, 1500))
    samples = 0
    const before = process.cpuUsage()
    const started = performance.now()
    await new Promise((r) => setTimeout(r, windowMs))
    const used = process.cpuUsage(before)
    const elapsed = performance.now() - started
    const cpuPercent = ((used.user + used.system) / 1000 / elapsed) * 100
    // the time one reading takes, measured apart from the window
    let sampleMs = 0
    if (sampling && lastAt > 0) {
      const t = performance.now()
      for (let i = 0; i < 5; i++) await (orchestrator as unknown as { sampler: { sample(): Promise<unknown> } }).sampler.sample()
      sampleMs = (performance.now() - t) / 5
    }
    return { cpuPercent, samples, sampleMs }
  } finally {
    looking()
    await orchestrator.stop()
  }
}

export async function samplingBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<SamplingFigures> {
  const windowMs = quick ? 8_000 : 20_000
  const rounds = quick ? 1 : 2
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-sampling-'))
  const without: number[] = []
  const withSampling: number[] = []
  let samples = 0
  let sampleMs = 0
  try {
    // alternated, so a neighbour's load on a shared machine falls on both alike
    for (let round = 0; round < rounds; round++) {
      const off = await oneRun(false, windowMs, dir)
      without.push(off.cpuPercent)
      log(`sampling: ${REPLICAS} replicas, sampler off: ${off.cpuPercent.toFixed(2)}% of a core`)
      const on = await oneRun(true, windowMs, dir)
      withSampling.push(on.cpuPercent)
      samples += on.samples
      sampleMs = on.sampleMs
      log(`sampling: ${REPLICAS} replicas, sampled each second: ${on.cpuPercent.toFixed(2)}% of a core (${on.samples} readings, ${on.sampleMs.toFixed(1)} ms each)`)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const round2 = (n: number): number => Math.round(n * 100) / 100
  const a = median(without)
  const b = median(withSampling)
  return {
    replicas: REPLICAS,
    windowSeconds: windowMs / 1000,
    cpuPercentWithoutSampling: round2(a),
    cpuPercentWithSampling: round2(b),
    samplingCostPercent: round2(b - a),
    samples,
    meanSampleMs: round2(sampleMs),
    rounds: { without: without.map(round2), with: withSampling.map(round2) },
  }
}
