// Save to ready: the time from writing a file a service watches to its new replica being
// ready (the old one still serving meanwhile), against the time the same service takes to
// start cold. In this process, timed by the orchestrator's own events.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PortBook } from '../src-main/core/port-book'
import { Session } from '../src-main/core/session'

export interface LiveFigures {
  rounds: number
  debounceMs: number
  coldStartMs: number[]
  saveToReadyMs: number[]
  medianColdStartMs: number
  medianSaveToReadyMs: number
}

const DEBOUNCE_MS = 100

const SERVER = `import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
const text = readFileSync('src/message.txt', 'utf8')
createServer((req, res) => res.end(text)).listen(Number(process.env.PORT))
process.on('SIGTERM', () => process.exit(0))
`

export async function liveBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<LiveFigures> {
  const rounds = quick ? 3 : 10
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-live-'))
  await mkdir(join(dir, 'src'))
  await writeFile(join(dir, 'server.mjs'), SERVER)
  await writeFile(join(dir, 'src/message.txt'), 'v0')
  const port = await new PortBook().freePort()
  await writeFile(join(dir, 'app.yaml'), [
    'services:',
    '  - name: web',
    `    executable: ${process.execPath}`,
    '    args: server.mjs',
    `    watch: { paths: src, debounce: ${DEBOUNCE_MS}ms }`,
    '    bindings:',
    `      - port: ${port}`,
    '',
  ].join('\n'))

  const coldStartMs: number[] = []
  const saveToReadyMs: number[] = []
  try {
    for (let i = 0; i < rounds; i++) coldStartMs.push(await coldStart(dir))
    log(`live: cold start ${coldStartMs.map((ms) => ms.toFixed(0)).join(' ')} ms`)

    const session = new Session()
    try {
      await session.open(join(dir, 'app.yaml'))
      await readyReplica(session, () => true)
      // the watcher is set up right after the open; give it its moment
      await new Promise((resolve) => setTimeout(resolve, 500))
      for (let i = 1; i <= rounds; i++) {
        const before = new Set(session.current()!.service('web').replicaStatuses.map((r) => r.name))
        const ready = readyReplica(session, (name) => !before.has(name))
        const saved = performance.now()
        await writeFile(join(dir, 'src/message.txt'), `v${i}`)
        await ready
        saveToReadyMs.push(performance.now() - saved)
        // a person's pace: a save right after each restart, three times over, reads as a
        // service writing into its own watch (which pauses it)
        await new Promise((resolve) => setTimeout(resolve, 1200))
      }
    } finally {
      await session.close()
    }
    log(`live: save to ready ${saveToReadyMs.map((ms) => ms.toFixed(0)).join(' ')} ms (debounce ${DEBOUNCE_MS} ms included)`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return { rounds, debounceMs: DEBOUNCE_MS, coldStartMs, saveToReadyMs, medianColdStartMs: median(coldStartMs), medianSaveToReadyMs: median(saveToReadyMs) }
}

/** from open() to the replica being ready: proxies, spawn, the port answering */
async function coldStart(dir: string): Promise<number> {
  const session = new Session()
  try {
    const started = performance.now()
    const ready = readyReplica(session, () => true)
    await session.open(join(dir, 'app.yaml'))
    await ready
    return performance.now() - started
  } finally {
    await session.close()
  }
}

function readyReplica(session: Session, wanted: (name: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = session.subscribe((event) => {
      if (event.type === 'replica' && event.replica.state === 'ready' && wanted(event.replica.name)) {
        stop()
        resolve()
      }
    })
    const now = session.current()?.services().flatMap((s) => s.replicaStatuses) ?? []
    if (now.some((r) => r.state === 'ready' && wanted(r.name))) {
      stop()
      resolve()
    }
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)
}
