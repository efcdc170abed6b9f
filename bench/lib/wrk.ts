// Runs wrk (HTTP keep-alive load) and reads requests/s and latency percentiles from its report.
import { run } from './processes'

export interface LoadResult {
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  /** non-2xx answers and socket errors wrk reported */
  errors: number
  /** wrk's own lines about them, when there were any */
  errorDetail?: string
}

function toMs(value: string, unit: string): number {
  const n = Number(value)
  if (unit === 'us') return n / 1000
  if (unit === 's') return n * 1000
  if (unit === 'm') return n * 60_000
  return n
}

/** `newConnectionEach`: the client asks to close after every answer, so each request is a new TCP connection */
export async function wrk(url: string, seconds: number, connections = 50, threads = 2, newConnectionEach = false): Promise<LoadResult> {
  const close = newConnectionEach ? ['-H', 'Connection: close'] : []
  const out = await run('wrk', [...close, `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url], (seconds + 30) * 1000)
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)
  const p50 = /\s50%\s+([\d.]+)(us|ms|s|m)\b/.exec(out)
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(out)
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk's report:\n${out}`)
  let errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  if (socket) errors += socket.slice(1).reduce((sum, n) => sum + Number(n), 0)
  return {
    requestsPerSec: Number(rps[1]),
    p50Ms: toMs(p50[1] as string, p50[2] as string),
    p99Ms: toMs(p99[1] as string, p99[2] as string),
    errors,
    ...(errors > 0 ? { errorDetail: out.split('\n').filter((l) => /Non-2xx|Socket errors/.test(l)).map((l) => l.trim()).join('; ') } : {}),
  }
}
