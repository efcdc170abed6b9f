// The round-robin TCP proxy in front of a binding, as the supervisor uses it.
export interface ProxyBackend {
  replica: string
  host: string
  port: number
}

export interface ProxyStats {
  connections: number
  activeConnections: number
  bytesIn: number
  bytesOut: number
}

export interface ProxyOptions {
  /** the binding port; listens on 127.0.0.1 and ::1 */
  port: number
  service: string
  binding?: string
  /** how long a new connection waits for a ready backend before it is closed */
  waitForBackendMs?: number
  /**
   * proxy threads listening on the port (default: MICRONETES_PROXY_THREADS, else one per core, at
   * most 4); always 1 where the runtime cannot share a listening port (Node before 22.12, macOS,
   * Windows)
   */
  threads?: number
  /** where the bytes are moved (default: see defaultProxyEngine in start-proxy.ts) */
  engine?: ProxyEngine
}

/**
 * `native`: the native relay, a process of its own (Linux; native/relay). `threads`: Node worker
 * threads off the orchestrator's event loop. `in-process`: the caller's event loop (for
 * comparisons: there a busy orchestrator delays every proxied byte).
 */
export type ProxyEngine = 'native' | 'threads' | 'in-process'

export interface BindingProxy {
  readonly port: number
  readonly engine: ProxyEngine
  /** the ready replicas, in round-robin order; connections already open are left alone */
  setBackends(backends: ProxyBackend[]): void
  /** per replica, as last reported (never blocks) */
  stats(): Map<string, ProxyStats>
  /** per replica, asked of the proxy now */
  currentStats?(): Promise<Map<string, ProxyStats>>
  close(): Promise<void>
}
