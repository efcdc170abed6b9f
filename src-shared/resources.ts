// What the running application costs and carries: CPU and memory per replica (sampled, with
// a bounded history), and the proxy's traffic per replica and per binding.

export interface ReplicaMetrics {
  service: string
  replica: string
  /** percent of one core over the last sample, the replica's whole process group or container */
  cpuPercent: number
  /** resident memory of the whole process group, or the container's working set */
  memoryBytes: number
  restarts: number
  uptimeSeconds: number
  proxyConnections: number
  proxyActiveConnections: number
  proxyBytesIn: number
  proxyBytesOut: number
  /** over the last sampling interval */
  proxyConnectionsPerSecond: number
  proxyBytesInPerSecond: number
  proxyBytesOutPerSecond: number
  /** 1 when the proxy hands it connections (ready), else 0 */
  ready: number
  /** failed checks of its readiness and liveness probes, over every launch */
  readinessFailures: number
  livenessFailures: number
}

/** one binding's proxy, every replica behind it together */
export interface BindingTraffic {
  service: string
  binding?: string
  port: number
  connections: number
  activeConnections: number
  bytesIn: number
  bytesOut: number
  connectionsPerSecond: number
  bytesInPerSecond: number
  bytesOutPerSecond: number
}

/** one reading of the whole application */
export interface ResourceSample {
  /** epoch milliseconds */
  time: number
  replicas: ReplicaMetrics[]
  bindings: BindingTraffic[]
}

/** a replica's past, oldest first: the arrays are columns of the same length */
export interface ReplicaHistory {
  service: string
  replica: string
  time: number[]
  cpuPercent: number[]
  memoryBytes: number[]
  /** proxied bytes per second, both directions */
  bytesPerSecond: number[]
}

export interface ResourcesView {
  /** sampling interval while someone looks (the dashboard, an event stream, metrics asked) */
  intervalMs: number
  /** and while nobody does */
  idleIntervalMs: number
  /** how far back the history reaches */
  historyMs: number
  latest?: ResourceSample
  history: ReplicaHistory[]
}
