// Proxy: wrk -c50 keep-alive through two nginx upstreams, direct vs HAProxy vs Micronetes,
// and a 1 GiB download through each. Targets are measured in turns, so a noisy neighbour
// on the machine hits all of them alike; the median of the rounds is kept.
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
}

export interface BenchOptions {
  quick: boolean
  log(line: string): void
}

const GiB = 1024 * 1024 * 1024

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

export async function proxyBench({ quick, log }: BenchOptions): Promise<ProxyFigures> {
  const seconds = quick ? 4 : 10
  const rounds = quick ? 1 : 3
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
    for (let round = 1; round <= rounds; round++) {
      for (const [name, port] of Object.entries(targets) as [keyof typeof targets, number][]) {
        const cpu = cpuOf[name]
        let before = cpu?.() ?? 0
        const load = await wrk(`http://127.0.0.1:${port}/index.html`, seconds)
        const cpuUsPerRequest = cpu ? ((cpu() - before) / (load.requestsPerSec * seconds)) * 1e6 : undefined
        const churn = await wrk(`http://127.0.0.1:${port}/index.html`, Math.ceil(seconds / 2), 50, 2, true)
        before = cpu?.() ?? 0
        const bulk = await bulkGBps(`http://127.0.0.1:${port}/bulk.bin`, workspace.bulkBytes)
        const cpuSecondsPerGiB = cpu ? (cpu() - before) / (workspace.bulkBytes / GiB) : undefined
        log(`proxy round ${round}/${rounds} ${name}: ${Math.round(load.requestsPerSec)} req/s, p99 ${load.p99Ms.toFixed(2)} ms, bulk ${bulk.toFixed(2)} GB/s${load.errorDetail ? ` (wrk: ${load.errorDetail})` : ''}`)
        samples[name].push({ ...load, bulkGBps: bulk, cpuUsPerRequest, cpuSecondsPerGiB, newConnectionRequestsPerSec: churn.requestsPerSec })
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
    const direct = summary(samples.direct)
    const ha = summary(samples.haproxy)
    const mn = summary(samples.micronetes)
    return {
      direct,
      haproxy: ha,
      micronetes: mn,
      ratioVsHaproxy: round2(mn.requestsPerSec / ha.requestsPerSec),
      bulkRatioVsHaproxy: round2(mn.bulkGBps / ha.bulkGBps),
      newConnectionRatioVsHaproxy: round2(mn.newConnectionRequestsPerSec / ha.newConnectionRequestsPerSec),
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
