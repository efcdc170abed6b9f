// Per-replica and per-binding figures in the Prometheus text exposition format (version 0.0.4).
import type { BindingTraffic, ReplicaMetrics } from '../../src-shared/resources'

interface MetricDef<T> {
  name: string
  type: 'gauge' | 'counter'
  help: string
  value(m: T): number
}

const METRICS: MetricDef<ReplicaMetrics>[] = [
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

const BINDING_METRICS: MetricDef<BindingTraffic>[] = [
  { name: 'micronetes_binding_connections_total', type: 'counter', help: 'Connections the proxy of this binding accepted', value: (b) => b.connections },
  { name: 'micronetes_binding_active_connections', type: 'gauge', help: 'Connections open through the proxy of this binding now', value: (b) => b.activeConnections },
  { name: 'micronetes_binding_received_bytes_total', type: 'counter', help: 'Bytes from clients through the proxy of this binding', value: (b) => b.bytesIn },
  { name: 'micronetes_binding_sent_bytes_total', type: 'counter', help: 'Bytes to clients through the proxy of this binding', value: (b) => b.bytesOut },
]

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf'
  return String(value)
}

export function toPrometheusText(metrics: ReplicaMetrics[], bindings: BindingTraffic[] = []): string {
  const out: string[] = []
  for (const def of METRICS) {
    out.push(`# HELP ${def.name} ${def.help}`, `# TYPE ${def.name} ${def.type}`)
    for (const m of metrics) {
      // `instance` is the label Tye used for the replica
      out.push(`${def.name}{service="${label(m.service)}",replica="${label(m.replica)}",instance="${label(m.replica)}"} ${number(def.value(m))}`)
    }
  }
  if (bindings.length > 0) {
    for (const def of BINDING_METRICS) {
      out.push(`# HELP ${def.name} ${def.help}`, `# TYPE ${def.name} ${def.type}`)
      for (const b of bindings) {
        out.push(`${def.name}{service="${label(b.service)}",binding="${label(b.binding ?? '')}",port="${b.port}"} ${number(def.value(b))}`)
      }
    }
  }
  return out.join('\n') + '\n'
}
