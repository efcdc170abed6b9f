// Messages between the orchestrator's thread and the proxy thread (see proxy-host.ts).
import type { ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import type { PortSharing } from './loopback-listen'

export type ToProxyThread =
  /** `turns`: the binding's shared Uint32Array(1) of round-robin turns (every thread gets the same) */
  | { type: 'listen'; id: number; options: ProxyOptions; sharing: PortSharing; turns: SharedArrayBuffer }
  | { type: 'backends'; id: number; backends: ProxyBackend[] }
  | { type: 'stats'; id: number }
  | { type: 'close'; id: number }

export type FromProxyThread =
  | { type: 'listening'; id: number; port: number }
  | { type: 'listen-failed'; id: number; message: string }
  /** sent when counters changed (at most every STATS_INTERVAL_MS) and when asked */
  | { type: 'stats'; id: number; stats: [string, ProxyStats][] }
  | { type: 'closed'; id: number }

export const STATS_INTERVAL_MS = 200
