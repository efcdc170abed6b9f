// Scale: 200 replicas of a trivial executable, started and stopped by the orchestrator (in
// this process, timed by its own events), against a bare loop of 200 spawn() calls, and a loop
// of 200 spawn() calls through micronetes-launch into cgroups of their own (what containment
// alone costs). Rounds alternate the three so that all see the same machine; the ratio is the
// median of the rounds' ratios.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseApplication } from '../src-main/core/config/load-application'
import { createContainment } from '../src-main/core/containment/containment'
import { Orchestrator } from '../src-main/core/orchestrator'

export interface ScaleFigures {
  replicas: number
  start200Ms: number
  stop200Ms: number
  bareSpawn200Ms: number
  bareStop200Ms: number
  /** start200Ms / bareSpawn200Ms: the median of the rounds' ratios */
  ratio: number
  /** the loop through micronetes-launch into a cgroup each, where cgroups are used */
  launcherSpawn200Ms?: number
  launcherRatio?: number
  rounds: { bareMs: number; launcherMs?: number; micronetesMs: number }[]
}

const REPLICAS = 200
const PER_SERVICE = 100

/** an app of two services with 100 `sleep` replicas each (a service holds at most 100) */
export function sleepersYaml(): string {
  const service = (name: string): string[] => [
    `  - name: ${name}`,
    '    executable: sleep',
    '    args: "3600"',
    `    replicas: ${PER_SERVICE}`,
  ]
  return ['name: sleepers', 'services:', ...service('sleepers-a'), ...service('sleepers-b'), ''].join('\n')
}

async function bareLoop(): Promise<{ spawnMs: number; stopMs: number }> {
  const started = performance.now()
  const children: ChildProcess[] = []
  for (let i = 0; i < REPLICAS; i++) children.push(spawn('sleep', ['3600'], { detached: true, stdio: 'ignore' }))
  await Promise.all(children.map((child) => once(child, 'spawn')))
  const spawnMs = performance.now() - started
  const stopping = performance.now()
  const exits = children.map((child) => once(child, 'exit'))
  for (const child of children) process.kill(-(child.pid as number), 'SIGTERM')
  await Promise.all(exits)
  return { spawnMs, stopMs: performance.now() - stopping }
}

/** the bare loop again, each child started through micronetes-launch into a fresh cgroup; undefined without cgroups */
async function launcherLoop(): Promise<{ spawnMs: number } | undefined> {
  const containment = createContainment()
  if (!containment.kind.startsWith('cgroup')) return undefined
  const started = performance.now()
  const containers = []
  const children: ChildProcess[] = []
  for (let i = 0; i < REPLICAS; i++) {
    const container = containment.create(`bench-${i}`)
    const command = container.command('/bin/sleep', ['3600'], 'sleep')
    containers.push(container)
    children.push(spawn(command.file, command.args, { detached: true, stdio: 'ignore' }))
  }
  await Promise.all(children.map((child) => once(child, 'spawn')))
  const spawnMs = performance.now() - started
  const exits = children.map((child) => once(child, 'exit'))
  for (const child of children) process.kill(-(child.pid as number), 'SIGTERM')
  await Promise.all(exits)
  for (const container of containers) container.dispose()
  return { spawnMs }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function orchestratorRound(dir: string): Promise<{ startMs: number; stopMs: number }> {
  const loaded = parseApplication(sleepersYaml(), join(dir, 'app.yaml'))
  if (!loaded.ok) throw new Error(`bench app.yaml: ${JSON.stringify(loaded.problems)}`)
  const orchestrator = new Orchestrator(loaded.application)
  const live = new Set<string>()
  let allLive: () => void = () => {}
  const allRunning = new Promise<void>((resolve) => { allLive = resolve })
  orchestrator.subscribe((event) => {
    if (event.type !== 'replica') return
    const { name, state } = event.replica
    if (state === 'running' || state === 'ready') live.add(name)
    else live.delete(name)
    if (live.size === REPLICAS) allLive()
  })
  try {
    const started = performance.now()
    await orchestrator.start()
    await allRunning
    const startMs = performance.now() - started
    const stopping = performance.now()
    await orchestrator.stop()
    return { startMs, stopMs: performance.now() - stopping }
  } finally {
    await orchestrator.stop()
  }
}

export async function scaleBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<ScaleFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-scale-'))
  const rounds: ScaleFigures['rounds'] = []
  const bareStops: number[] = []
  const stops: number[] = []
  try {
    for (let round = 0; round < (quick ? 1 : 5); round++) {
      const bare = await bareLoop()
      const launcher = await launcherLoop()
      const micronetes = await orchestratorRound(dir)
      bareStops.push(bare.stopMs)
      stops.push(micronetes.stopMs)
      rounds.push({ bareMs: Math.round(bare.spawnMs), ...(launcher ? { launcherMs: Math.round(launcher.spawnMs) } : {}), micronetesMs: Math.round(micronetes.startMs) })
      log(`scale: round ${round + 1}: bare loop ${bare.spawnMs.toFixed(0)} ms${launcher ? `, through micronetes-launch ${launcher.spawnMs.toFixed(0)} ms` : ''}, micronetes ${micronetes.startMs.toFixed(0)} ms to have ${REPLICAS} running`)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const ratio = (value: (r: ScaleFigures['rounds'][number]) => number | undefined): number | undefined => {
    const ratios = rounds.map((r) => (value(r) ?? NaN) / r.bareMs).filter((x) => !Number.isNaN(x))
    return ratios.length > 0 ? Math.round(median(ratios) * 100) / 100 : undefined
  }
  const launcherRatio = ratio((r) => r.launcherMs)
  const launcherMs = rounds.map((r) => r.launcherMs).filter((x): x is number => x !== undefined)
  return {
    replicas: REPLICAS,
    start200Ms: median(rounds.map((r) => r.micronetesMs)),
    stop200Ms: Math.round(median(stops)),
    bareSpawn200Ms: median(rounds.map((r) => r.bareMs)),
    bareStop200Ms: Math.round(median(bareStops)),
    ratio: ratio((r) => r.micronetesMs) as number,
    ...(launcherMs.length > 0 ? { launcherSpawn200Ms: median(launcherMs), launcherRatio } : {}),
    rounds,
  }
}
