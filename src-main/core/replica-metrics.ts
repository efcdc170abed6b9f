// Per-replica figures: CPU and memory of the whole process group (npm -> sh -> node counts
// as one replica), restarts, uptime, and the proxy's connection and byte counts.
import pidusage from 'pidusage'
import type { ReplicaMetrics } from '../../src-shared/control-plane'
import { groupMembers, hasProc } from './proc'
import type { BindingProxy } from './proxy-types'
import type { ReplicaSupervisor } from './replica-supervisor'

export interface ServiceFigures {
  service: string
  proxies: BindingProxy[]
  replicas: ReplicaSupervisor[]
}

async function usage(pids: number[]): Promise<{ cpu: number; memory: number }> {
  if (pids.length === 0) return { cpu: 0, memory: 0 }
  try {
    const stats = await pidusage(pids)
    let cpu = 0
    let memory = 0
    for (const stat of Object.values(stats)) {
      if (!stat) continue
      cpu += stat.cpu
      memory += stat.memory
    }
    return { cpu, memory }
  } catch {
    // a process that exited between listing and sampling: no figure this time
    return { cpu: 0, memory: 0 }
  }
}

export async function replicaMetrics(services: ServiceFigures[]): Promise<ReplicaMetrics[]> {
  const out: ReplicaMetrics[] = []
  for (const { service, proxies, replicas } of services) {
    const proxyStats = proxies.map((p) => p.stats())
    for (const replica of replicas) {
      const pid = replica.processId
      const alive = pid !== undefined && replica.currentState !== 'stopped' && replica.currentState !== 'crashed' && replica.currentState !== 'backoff' && replica.currentState !== 'failed'
      const pids = !alive ? [] : hasProc ? groupMembers(pid).map((m) => m.pid) : [pid]
      const { cpu, memory } = await usage(pids)
      const figures: ReplicaMetrics = {
        service,
        replica: replica.name,
        cpuPercent: cpu,
        memoryBytes: memory,
        restarts: replica.restartCount,
        uptimeSeconds: alive && replica.startTime !== undefined ? (Date.now() - replica.startTime) / 1000 : 0,
        proxyConnections: 0,
        proxyActiveConnections: 0,
        proxyBytesIn: 0,
        proxyBytesOut: 0,
        ready: replica.currentState === 'ready' ? 1 : 0,
        readinessFailures: replica.probeFailures.readiness,
        livenessFailures: replica.probeFailures.liveness,
      }
      for (const stats of proxyStats) {
        const s = stats.get(replica.name)
        if (!s) continue
        figures.proxyConnections += s.connections
        figures.proxyActiveConnections += s.activeConnections
        figures.proxyBytesIn += s.bytesIn
        figures.proxyBytesOut += s.bytesOut
      }
      out.push(figures)
    }
  }
  return out
}
