// The proxy's counters turned into per-replica and per-binding traffic with rates: each
// reading is compared with the one before it.
import type { BindingTraffic } from '../../../src-shared/resources'
import type { BindingProxy, ProxyStats } from '../proxy-types'

export interface SampledBinding {
  service: string
  binding?: string
  port: number
  proxy: BindingProxy
}

export interface Rates {
  connectionsPerSecond: number
  bytesInPerSecond: number
  bytesOutPerSecond: number
}

const NO_RATES: Rates = { connectionsPerSecond: 0, bytesInPerSecond: 0, bytesOutPerSecond: 0 }

/** how long one proxy may take to report before its last report is used */
const REPORT_TIMEOUT_MS = 500

/** each proxy's counters per replica, asked of the proxy now where it can say */
export async function readProxies(bindings: SampledBinding[]): Promise<Map<string, ProxyStats>[]> {
  return Promise.all(
    bindings.map(async ({ proxy }) => {
      if (!proxy.currentStats) return proxy.stats()
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<Map<string, ProxyStats>>((resolve) => {
        timer = setTimeout(() => resolve(proxy.stats()), REPORT_TIMEOUT_MS)
      })
      try {
        return await Promise.race([proxy.currentStats().catch(() => proxy.stats()), late])
      } finally {
        clearTimeout(timer)
      }
    }),
  )
}

export function sumStats(into: ProxyStats, s: ProxyStats): void {
  into.connections += s.connections
  into.activeConnections += s.activeConnections
  into.bytesIn += s.bytesIn
  into.bytesOut += s.bytesOut
}

export function zeroStats(): ProxyStats {
  return { connections: 0, activeConnections: 0, bytesIn: 0, bytesOut: 0 }
}

/** rates of counters named by key, from one reading to the next */
export class RateTracker {
  private previous = new Map<string, { stats: ProxyStats; at: number }>()
  private current = new Map<string, { stats: ProxyStats; at: number }>()

  rates(key: string, stats: ProxyStats, at: number): Rates {
    this.current.set(key, { stats: { ...stats }, at })
    const before = this.previous.get(key)
    if (!before || at <= before.at) return NO_RATES
    const seconds = (at - before.at) / 1000
    // a counter that went down started over (a replaced relay that lost its count): no rate
    const rate = (now: number, then: number): number => (now >= then ? (now - then) / seconds : 0)
    return {
      connectionsPerSecond: rate(stats.connections, before.stats.connections),
      bytesInPerSecond: rate(stats.bytesIn, before.stats.bytesIn),
      bytesOutPerSecond: rate(stats.bytesOut, before.stats.bytesOut),
    }
  }

  /** the readings of this turn become the ones the next compares with; keys not read are forgotten */
  endTurn(): void {
    this.previous = this.current
    this.current = new Map()
  }
}

export function bindingTraffic(binding: SampledBinding, stats: Map<string, ProxyStats>, tracker: RateTracker, at: number): BindingTraffic {
  const total = zeroStats()
  for (const s of stats.values()) sumStats(total, s)
  const traffic: BindingTraffic = { service: binding.service, port: binding.port, ...total, ...tracker.rates(`binding:${binding.service}:${binding.port}`, total, at) }
  if (binding.binding !== undefined) traffic.binding = binding.binding
  return traffic
}
