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
  /**
   * run on the caller's event loop instead of the shared proxy thread (for comparisons;
   * on the caller's loop, a busy orchestrator delays every proxied byte)
   */
  inProcess?: boolean
}

export interface BindingProxy {
  readonly port: number
  /** the ready replicas, in round-robin order; connections already open are left alone */
  setBackends(backends: ProxyBackend[]): void
  /** per replica, as last reported (never blocks) */
  stats(): Map<string, ProxyStats>
  /** per replica, asked of the proxy now */
  currentStats?(): Promise<Map<string, ProxyStats>>
  close(): Promise<void>
}
