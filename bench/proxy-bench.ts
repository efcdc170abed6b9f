// Proxy: wrk -c50 keep-alive through two nginx upstreams, direct vs HAProxy vs Micronetes,
// a new connection per request, and a 1 GiB download through each. The paths are measured
// back to back in rounds, so a noisy neighbour on the machine hits them alike; the figures
// are medians over the rounds, the ratios medians of each round's paired ratio. The Micronetes
// proxy runs in a process of its own: on the native relay (the default on Linux, the headline),
// and on the Node threads, with the bench's Node and with the Node the desktop app embeds
// (fetched by bench/setup.sh), where its threads share the port.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_RUNTIME_VERSION } from '../scripts/node-runtime.mjs'
import { bulkGBps } from './lib/bulk'
import { cpuSeconds } from './lib/cpu'
import { freePort, waitForPort } from './lib/ports'
import { run, type Started, startProcess } from './lib/processes'
import { RelayBinary } from '../src-main/core/proxy/relay-binary'
import { makeWorkspace, type Server, startHaproxy, startNginx } from './lib/reference-servers'
import { wrk } from './lib/wrk'

export interface PathFigures {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  bulkGBps: number
  errors: number
  errorDetail?: string
  /** requests/s when every request opens a new connection (Connection: close) */
  newConnectionRequestsPerSec: number
  /** CPU the proxy itself used (all threads), per request and per GiB of bulk */
  cpuUsPerRequest?: number
  cpuSecondsPerGiB?: number
}

/** one engine (and Node) the Micronetes proxy was measured on */
export interface RuntimeFigures extends PathFigures {
  /** native: the native relay; threads: the Node proxy threads */
  engine: 'native' | 'threads'
  /** e.g. "node 24.21.0" (for native, the Node that drives the relay) */
  node: string
  /** proxy threads listening on the port (more than one where the runtime can share it) */
  threads: number
  ratioVsHaproxy: number
  bulkRatioVsHaproxy: number
  newConnectionRatioVsHaproxy: number
  /** each round's paired ratio, to show the spread */
  rounds: { ratioVsHaproxy: number[]; bulkRatioVsHaproxy: number[]; newConnectionRatioVsHaproxy: number[] }
}

export interface ProxyFigures {
  direct: PathFigures
  haproxy: PathFigures
  /** the headline: the native relay where it is built, else the Node the desktop app embeds when it was measured, else the bench's own */
  micronetes: RuntimeFigures
  ratioVsHaproxy: number
  bulkRatioVsHaproxy: number
  newConnectionRatioVsHaproxy: number
  rounds: RuntimeFigures['rounds']
  /** every engine and Node measured: the native relay first, then the Node threads, the bench's Node first */
  runtimes: RuntimeFigures[]
}

export interface BenchOptions {
  quick: boolean
  log(line: string): void
}

const GiB = 1024 * 1024 * 1024

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

interface MicronetesProxy {
  name: string
  engine: 'native' | 'threads'
  node: string
  threads: number
  port: number
  process: Started
  /** every process whose CPU is the proxy's (the native relay's besides Node's) */
  pids: number[]
}

/** the proxy alone in a process run by `node` (proxy-server.ts, bundled beside this file) */
async function startMicronetesProxy(node: string, engine: 'native' | 'threads', upstreams: Server[]): Promise<MicronetesProxy> {
  const port = await freePort()
  const script = fileURLToPath(new URL('./proxy-server.mjs', import.meta.url))
  const started = startProcess(node, [script, engine, String(port), ...upstreams.map((u) => String(u.port))])
  await waitForPort(port, started)
  // it says so right after listening
  for (let tries = 0; !/threads=\d+/.test(started.stderrTail()) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 20))
  const said = started.stderrTail()
  const served = /engine=(\S+)/.exec(said)?.[1]
  if (served !== engine) throw new Error(`the proxy bench asked for the ${engine} engine and got ${served ?? 'nothing'}: ${said.trim()}`)
  const version = (await run(node, ['--version'])).trim().replace(/^v/, '')
  const threads = Number(/threads=(\d+)/.exec(said)?.[1] ?? 0)
  const relay = Number(/relay=(\d+)/.exec(said)?.[1] ?? 0)
  const pids = [started.child.pid as number, ...(relay ? [relay] : [])]
  const name = engine === 'native' ? 'micronetes native relay' : `micronetes node ${version}`
  return { name, engine, node: `node ${version}`, threads, port, process: started, pids }
}

/** the Node the desktop app embeds, when bench/setup.sh fetched it and it is not the bench's own */
function desktopNode(): string | undefined {
  const binary = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', `node-${NODE_RUNTIME_VERSION}`, 'bin', 'node')
  return existsSync(binary) && process.version !== `v${NODE_RUNTIME_VERSION}` ? binary : undefined
}

export async function proxyBench({ quick, log }: BenchOptions): Promise<ProxyFigures> {
  const seconds = quick ? 4 : 6
  const rounds = quick ? 2 : 5
  const workspace = await makeWorkspace(GiB)
  const upstreams = [await startNginx(workspace, 'nginx1'), await startNginx(workspace, 'nginx2')]
  const haproxy = await startHaproxy(workspace, upstreams)
  const micronetes: MicronetesProxy[] = []
  if (new RelayBinary().path()) micronetes.push(await startMicronetesProxy(process.execPath, 'native', upstreams))
  else log('proxy: the native relay is not built (npm run build, with a C compiler, on Linux): measuring the Node threads only')
  micronetes.push(await startMicronetesProxy(process.execPath, 'threads', upstreams))
  const other = desktopNode()
  if (other) micronetes.push(await startMicronetesProxy(other, 'threads', upstreams))
  else log(`proxy: Node ${NODE_RUNTIME_VERSION} (the desktop app's, where proxy threads share the port) not fetched: bench/setup.sh fetches it`)
  const targets: Record<string, number> = { direct: (upstreams[0] as Server).port, haproxy: haproxy.port }
  // whose CPU each path costs (all its threads); nothing extra for direct
  const cpuOf: Record<string, (() => number) | undefined> = { direct: undefined, haproxy: () => cpuSeconds(haproxy.process.child.pid as number) }
  for (const m of micronetes) {
    targets[m.name] = m.port
    cpuOf[m.name] = () => m.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  }
  try {
    const names = Object.keys(targets)
    const samples = Object.fromEntries(names.map((k) => [k, [] as PathFigures[]]))
    // warm the JIT, nginx's open-file cache and the page cache of the bulk file
    for (const port of Object.values(targets)) await wrk(`http://127.0.0.1:${port}/index.html`, 1)
    await bulkGBps(`http://127.0.0.1:${targets.direct}/bulk.bin`, workspace.bulkBytes)
    const paired = Object.fromEntries(micronetes.map((m) => [m.name, { requests: [] as number[], bulk: [] as number[], newConnection: [] as number[] }]))
    for (let round = 1; round <= rounds; round++) {
      // each kind of load runs on every path back to back, the proxies in alternating order,
      // so each pair of figures shares the machine's mood of the moment
      const order = round % 2 === 1 ? names : ['direct', ...names.slice(1).reverse()]
      const figures: Record<string, PathFigures> = {}
      for (const name of order) {
        const cpu = cpuOf[name]
        const before = cpu?.() ?? 0
        const load = await wrk(`http://127.0.0.1:${targets[name]}/index.html`, seconds)
        const cpuUsPerRequest = cpu ? ((cpu() - before) / (load.requestsPerSec * seconds)) * 1e6 : undefined
        figures[name] = { ...load, cpuUsPerRequest, bulkGBps: 0, newConnectionRequestsPerSec: 0 }
      }
      for (const name of order) {
        const churn = await wrk(`http://127.0.0.1:${targets[name]}/index.html`, Math.ceil(seconds / 2), 50, 2, true)
        ;(figures[name] as PathFigures).newConnectionRequestsPerSec = churn.requestsPerSec
      }
      for (const name of order) {
        const cpu = cpuOf[name]
        const before = cpu?.() ?? 0
        const f = figures[name] as PathFigures
        f.bulkGBps = await bulkGBps(`http://127.0.0.1:${targets[name]}/bulk.bin`, workspace.bulkBytes)
        f.cpuSecondsPerGiB = cpu ? (cpu() - before) / (workspace.bulkBytes / GiB) : undefined
      }
      for (const name of names) {
        const f = figures[name] as PathFigures
        log(`proxy round ${round}/${rounds} ${name}: ${Math.round(f.requestsPerSec)} req/s, p99 ${f.p99Ms.toFixed(2)} ms, ${Math.round(f.newConnectionRequestsPerSec)} req/s new-conn, bulk ${f.bulkGBps.toFixed(2)} GB/s${f.errorDetail ? ` (wrk: ${f.errorDetail})` : ''}`)
        samples[name]?.push(f)
      }
      const ha = figures.haproxy as PathFigures
      for (const m of micronetes) {
        const f = figures[m.name] as PathFigures
        const pair = paired[m.name] as { requests: number[]; bulk: number[]; newConnection: number[] }
        pair.requests.push(f.requestsPerSec / ha.requestsPerSec)
        pair.bulk.push(f.bulkGBps / ha.bulkGBps)
        pair.newConnection.push(f.newConnectionRequestsPerSec / ha.newConnectionRequestsPerSec)
      }
    }
    const summary = (list: PathFigures[]): PathFigures => ({
      ...(list.some((s) => s.errorDetail) ? { errorDetail: list.map((s) => s.errorDetail).filter(Boolean).join(' / ') } : {}),
      requestsPerSec: Math.round(median(list.map((s) => s.requestsPerSec))),
      p50Ms: median(list.map((s) => s.p50Ms)),
      p99Ms: median(list.map((s) => s.p99Ms)),
      bulkGBps: median(list.map((s) => s.bulkGBps)),
      newConnectionRequestsPerSec: Math.round(median(list.map((s) => s.newConnectionRequestsPerSec))),
      errors: list.reduce((sum, s) => sum + s.errors, 0),
      ...(list[0]?.cpuUsPerRequest === undefined ? {} : {
        cpuUsPerRequest: round2(median(list.map((s) => s.cpuUsPerRequest as number))),
        cpuSecondsPerGiB: round2(median(list.map((s) => s.cpuSecondsPerGiB as number))),
      }),
    })
    // the median of the rounds' paired ratios: steadier than a ratio of medians on a shared machine
    const runtimes: RuntimeFigures[] = micronetes.map((m) => {
      const pair = paired[m.name] as { requests: number[]; bulk: number[]; newConnection: number[] }
      return {
        ...summary(samples[m.name] as PathFigures[]),
        engine: m.engine,
        node: m.node,
        threads: m.threads,
        ratioVsHaproxy: round2(median(pair.requests)),
        bulkRatioVsHaproxy: round2(median(pair.bulk)),
        newConnectionRatioVsHaproxy: round2(median(pair.newConnection)),
        rounds: {
          ratioVsHaproxy: pair.requests.map(round2),
          bulkRatioVsHaproxy: pair.bulk.map(round2),
          newConnectionRatioVsHaproxy: pair.newConnection.map(round2),
        },
      }
    })
    const headline = (runtimes.find((r) => r.engine === 'native') ?? runtimes[runtimes.length - 1]) as RuntimeFigures
    return {
      direct: summary(samples.direct as PathFigures[]),
      haproxy: summary(samples.haproxy as PathFigures[]),
      micronetes: headline,
      ratioVsHaproxy: headline.ratioVsHaproxy,
      bulkRatioVsHaproxy: headline.bulkRatioVsHaproxy,
      newConnectionRatioVsHaproxy: headline.newConnectionRatioVsHaproxy,
      rounds: headline.rounds,
      runtimes,
    }
  } finally {
    await Promise.all(micronetes.map((m) => m.process.stop()))
    await haproxy.process.stop()
    await Promise.all(upstreams.map((u) => u.process.stop()))
    await workspace.remove()
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
