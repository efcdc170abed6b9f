// An open-loop latency sampler: one GET every `intervalMs` on a fixed schedule, whatever the
// answers before it are doing. Each latency counts from when its request was due, so a server
// that stalls is charged for the requests that waited behind the stall (a client that sends its
// next request only after the last answer would send fewer during a stall and hide it), and the
// load the sampler adds stays the same whatever the server's speed.
import http from 'node:http'
import { performance } from 'node:perf_hooks'

export interface ApiSample {
  /** when the request was due, wall clock ms (comparable with `date +%s%N` / 1e6) */
  dueAt: number
  latencyMs: number
  /** how late the sampler itself sent it: its own process waited for the CPU that long */
  sendLateMs: number
}

export interface ApiSampler {
  /** stops sending, waits for the answers on their way, and gives every sample */
  stop(): Promise<ApiSample[]>
}

const wallNow = (): number => performance.timeOrigin + performance.now()

export function startApiSampler(url: string, intervalMs: number): ApiSampler {
  // enough connections that a slow answer never delays the next request's sending
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  const samples: ApiSample[] = []
  const inFlight = new Set<Promise<void>>()
  let failure: Error | undefined
  let stopped = false
  const start = wallNow()
  let sent = 0

  const send = (dueAt: number): void => {
    const sendLateMs = wallNow() - dueAt
    const request = new Promise<void>((resolve) => {
      http.get(url, { agent }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 200) failure ??= new Error(`GET ${url} answered ${res.statusCode}`)
          else samples.push({ dueAt, latencyMs: wallNow() - dueAt, sendLateMs })
          resolve()
        })
      }).on('error', (err) => {
        failure ??= err
        resolve()
      })
    })
    inFlight.add(request)
    void request.then(() => inFlight.delete(request))
  }

  const tick = (): void => {
    if (stopped) return
    const now = wallNow()
    // every request due by now goes out, each stamped with its own due time
    while (start + sent * intervalMs <= now) send(start + sent++ * intervalMs)
    setTimeout(tick, Math.max(0, start + sent * intervalMs - wallNow()))
  }
  tick()

  return {
    async stop() {
      stopped = true
      await Promise.all(inFlight)
      agent.destroy()
      if (failure) throw failure
      return samples
    },
  }
}
