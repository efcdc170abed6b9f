// Proxy: wrk -c50 keep-alive through two nginx upstreams, direct vs HAProxy vs Micronetes,
// a new connection per request, and a 1 GiB download through each. The paths are measured
// back to back in rounds, so a noisy neighbour on the machine hits them alike; the figures
// are medians over the rounds, the ratios medians of each round's paired ratio.
import { startProxy } from '../src-main/core/proxy/start-proxy'
import { bulkGBps } from './lib/bulk'
import { cpuSeconds } from './lib/cpu'
import { makeWorkspace, startHaproxy, startNginx } from './lib/reference-servers'
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

export interface ProxyFigures {
  direct: PathFigures
  haproxy: PathFigures
  micronetes: PathFigures
  ratioVsHaproxy: number
  bulkRatioVsHaproxy: number
  newConnectionRatioVsHaproxy: number
  /** each round's paired ratio, to show the spread */
  rounds: { ratioVsHaproxy: number[]; bulkRatioVsHaproxy: number[]; newConnectionRatioVsHaproxy: number[] }
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

export async function proxyBench({ quick, log }: BenchOptions): Promise<ProxyFigures> {
  const seconds = quick ? 4 : 6
  const rounds = quick ? 2 : 5
  const workspace = await makeWorkspace(GiB)
  const upstreams = [await startNginx(workspace, 'nginx1'), await startNginx(workspace, 'nginx2')]
  const haproxy = await startHaproxy(workspace, upstreams)
  const proxy = await startProxy({ port: 0, service: 'bench', waitForBackendMs: 5000 })
  proxy.setBackends(upstreams.map((u) => ({ replica: u.name, host: '127.0.0.1', port: u.port })))
  const targets = {
    direct: (upstreams[0] as { port: number }).port,
    haproxy: haproxy.port,
    micronetes: proxy.port,
  }
  // whose CPU each path costs: the proxy in this process; nothing extra for direct
  const cpuOf: Record<keyof typeof targets, (() => number) | undefined> = {
    direct: undefined,
    haproxy: () => cpuSeconds(haproxy.process.child.pid as number),
    micronetes: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 },
  }
  try {
    const samples = Object.fromEntries(Object.keys(targets).map((k) => [k, [] as PathFigures[]])) as Record<keyof typeof targets, PathFigures[]>
    // warm the JIT, nginx's open-file cache and the page cache of the bulk file
    for (const port of Object.values(targets)) await wrk(`http://127.0.0.1:${port}/index.html`, 1)
    await bulkGBps(`http://127.0.0.1:${targets.direct}/bulk.bin`, workspace.bulkBytes)
    const names = Object.keys(targets) as (keyof typeof targets)[]
    const paired = { requests: [] as number[], bulk: [] as number[], newConnection: [] as number[] }
    for (let round = 1; round <= rounds; round++) {
      // each kind of load runs on the three paths back to back, HAProxy and Micronetes in
      // alternating order, so each pair of figures shares the machine's mood of the moment
      const order = round % 2 === 1 ? names : (['direct', 'micronetes', 'haproxy'] as const)
      const figures = {} as Record<keyof typeof targets, PathFigures>
      for (const name of order) {
        const cpu = cpuOf[name]
        const before = cpu?.() ?? 0
        const load = await wrk(`http://127.0.0.1:${targets[name]}/index.html`, seconds)
        const cpuUsPerRequest = cpu ? ((cpu() - before) / (load.requestsPerSec * seconds)) * 1e6 : undefined
        figures[name] = { ...load, cpuUsPerRequest, bulkGBps: 0, newConnectionRequestsPerSec: 0 }
      }
      for (const name of order) {
        const churn = await wrk(`http://127.0.0.1:${targets[name]}/index.html`, Math.ceil(seconds / 2), 50, 2, true)
        figures[name].newConnectionRequestsPerSec = churn.requestsPerSec
      }
      for (const name of order) {
        const cpu = cpuOf[name]
        const before = cpu?.() ?? 0
        figures[name].bulkGBps = await bulkGBps(`http://127.0.0.1:${targets[name]}/bulk.bin`, workspace.bulkBytes)
        figures[name].cpuSecondsPerGiB = cpu ? (cpu() - before) / (workspace.bulkBytes / GiB) : undefined
      }
      for (const name of names) {
        const f = figures[name]
        log(`proxy round ${round}/${rounds} ${name}: ${Math.round(f.requestsPerSec)} req/s, p99 ${f.p99Ms.toFixed(2)} ms, ${Math.round(f.newConnectionRequestsPerSec)} req/s new-conn, bulk ${f.bulkGBps.toFixed(2)} GB/s${f.errorDetail ? ` (wrk: ${f.errorDetail})` : ''}`)
        samples[name].push(f)
      }
      paired.requests.push(figures.micronetes.requestsPerSec / figures.haproxy.requestsPerSec)
      paired.bulk.push(figures.micronetes.bulkGBps / figures.haproxy.bulkGBps)
      paired.newConnection.push(figures.micronetes.newConnectionRequestsPerSec / figures.haproxy.newConnectionRequestsPerSec)
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
    const direct = summary(samples.direct)
    const ha = summary(samples.haproxy)
    const mn = summary(samples.micronetes)
    // the median of the rounds' paired ratios: steadier than a ratio of medians on a shared machine
    return {
      direct,
      haproxy: ha,
      micronetes: mn,
      ratioVsHaproxy: round2(median(paired.requests)),
      bulkRatioVsHaproxy: round2(median(paired.bulk)),
      newConnectionRatioVsHaproxy: round2(median(paired.newConnection)),
      rounds: {
        ratioVsHaproxy: paired.requests.map(round2),
        bulkRatioVsHaproxy: paired.bulk.map(round2),
        newConnectionRatioVsHaproxy: paired.newConnection.map(round2),
      },
    }
  } finally {
    await proxy.close()
    await haproxy.process.stop()
    await Promise.all(upstreams.map((u) => u.process.stop()))
    await workspace.remove()
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
