// Scale: 200 replicas of a trivial executable, started and stopped by the orchestrator (in
// this process, timed by its own events), against a bare loop of 200 spawn() calls.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseApplication } from '../src-main/core/config/load-application'
import { Orchestrator } from '../src-main/core/orchestrator'

export interface ScaleFigures {
  replicas: number
  start200Ms: number
  stop200Ms: number
  bareSpawn200Ms: number
  bareStop200Ms: number
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

export async function scaleBench({ log }: { quick: boolean; log(line: string): void }): Promise<ScaleFigures> {
  const bare = await bareLoop()
  log(`scale: bare loop spawned ${REPLICAS} in ${bare.spawnMs.toFixed(0)} ms, stopped in ${bare.stopMs.toFixed(0)} ms`)

  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-scale-'))
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
    const start200Ms = performance.now() - started
    const stopping = performance.now()
    await orchestrator.stop()
    const stop200Ms = performance.now() - stopping
    log(`scale: micronetes had ${REPLICAS} running in ${start200Ms.toFixed(0)} ms, stopped them in ${stop200Ms.toFixed(0)} ms`)
    return {
      replicas: REPLICAS,
      start200Ms: Math.round(start200Ms),
      stop200Ms: Math.round(stop200Ms),
      bareSpawn200Ms: Math.round(bare.spawnMs),
      bareStop200Ms: Math.round(bare.stopMs),
    }
  } finally {
    await orchestrator.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
