// Per-replica figures in the Prometheus text exposition format (version 0.0.4).
import type { ReplicaMetrics } from '../../src-shared/control-plane'

interface MetricDef {
  name: string
  type: 'gauge' | 'counter'
  help: string
  value(m: ReplicaMetrics): number
}

const METRICS: MetricDef[] = [
  { name: 'micronetes_replica_cpu_percent', type: 'gauge', help: 'CPU use over the last sample, percent of one core', value: (m) => m.cpuPercent },
  { name: 'micronetes_replica_memory_bytes', type: 'gauge', help: 'Resident memory', value: (m) => m.memoryBytes },
  { name: 'micronetes_replica_restarts_total', type: 'counter', help: 'Restarts of this replica', value: (m) => m.restarts },
  { name: 'micronetes_replica_uptime_seconds', type: 'gauge', help: 'Seconds since this replica last started', value: (m) => m.uptimeSeconds },
  { name: 'micronetes_proxy_connections_total', type: 'counter', help: 'Connections the proxy handed to this replica', value: (m) => m.proxyConnections },
  { name: 'micronetes_proxy_active_connections', type: 'gauge', help: 'Proxy connections open to this replica now', value: (m) => m.proxyActiveConnections },
  { name: 'micronetes_proxy_received_bytes_total', type: 'counter', help: 'Bytes from clients to this replica through the proxy', value: (m) => m.proxyBytesIn },
  { name: 'micronetes_proxy_sent_bytes_total', type: 'counter', help: 'Bytes from this replica to clients through the proxy', value: (m) => m.proxyBytesOut },
  { name: 'micronetes_replica_ready', type: 'gauge', help: '1 when the proxy hands this replica connections (ready), else 0', value: (m) => m.ready },
  { name: 'micronetes_replica_readiness_failures_total', type: 'counter', help: 'Failed checks of the readiness probe', value: (m) => m.readinessFailures },
  { name: 'micronetes_replica_liveness_failures_total', type: 'counter', help: 'Failed checks of the liveness probe', value: (m) => m.livenessFailures },
]

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf'
  return String(value)
}

export function toPrometheusText(metrics: ReplicaMetrics[]): string {
  const out: string[] = []
  for (const def of METRICS) {
    out.push(`# HELP ${def.name} ${def.help}`, `# TYPE ${def.name} ${def.type}`)
    for (const m of metrics) {
      // `instance` is the label Tye used for the replica
      out.push(`${def.name}{service="${label(m.service)}",replica="${label(m.replica)}",instance="${label(m.replica)}"} ${number(def.value(m))}`)
    }
  }
  return out.join('\n') + '\n'
}
