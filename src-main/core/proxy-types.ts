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
}

export interface BindingProxy {
  readonly port: number
  /** the ready replicas, in round-robin order; connections already open are left alone */
  setBackends(backends: ProxyBackend[]): void
  /** per replica, as last reported (never blocks) */
  stats(): Map<string, ProxyStats>
  close(): Promise<void>
}
