// How status reads to a person: counts, durations, ids.
import type { ReplicaState, ReplicaStatus, ServiceStatus } from '../src-shared/status'

export function readyCount(service: ServiceStatus): number {
  return service.replicaStatuses.filter((r) => r.state === 'ready').length
}

/** "2/3 ready", "stopped", "external" */
export function serviceSummary(service: ServiceStatus): string {
  if (service.kind === 'external') return 'external'
  if (service.kind === 'ingress') return service.state === 'running' ? 'routing' : service.state
  if (service.notStarted !== undefined) return 'not started'
  if (service.state === 'waiting') return 'waiting'
  if (service.state === 'stopped' && readyCount(service) === 0) return 'stopped'
  return `${readyCount(service)}/${service.replicas} ready`
}

export type Tone = 'good' | 'busy' | 'warn' | 'bad' | 'idle'

export function replicaTone(state: ReplicaState): Tone {
  switch (state) {
    case 'ready': return 'good'
    case 'starting':
    case 'running':
    case 'stopping': return 'busy'
    case 'backoff': return 'warn'
    case 'crashed':
    case 'failed': return 'bad'
    default: return 'idle'
  }
}

export function serviceTone(service: ServiceStatus): Tone {
  switch (service.state) {
    case 'running': return readyCount(service) === service.replicas ? 'good' : 'busy'
    case 'starting':
    case 'waiting': return 'busy'
    case 'degraded': return 'warn'
    case 'failed': return 'bad'
    default: return 'idle'
  }
}

/** "42s", "5m 03s", "2h 10m", "3d 4h" */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}

export function uptimeOf(replica: ReplicaStatus, now: number): string | undefined {
  if (replica.startedAt === undefined) return undefined
  if (replica.state !== 'ready' && replica.state !== 'running' && replica.state !== 'starting') return undefined
  return formatDuration(now - replica.startedAt)
}

const LIVE_STATES: ReadonlySet<ReplicaState> = new Set(['starting', 'running', 'ready', 'stopping'])

/** what identifies the live replica to the OS: pid, or a short container id; none once it is gone */
export function processIdOf(replica: ReplicaStatus): string | undefined {
  if (!LIVE_STATES.has(replica.state)) return undefined
  if (replica.containerId) return replica.containerId.slice(0, 12)
  return replica.pid === undefined ? undefined : String(replica.pid)
}

/** a command line a person can paste into a shell */
export function shellJoin(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
}

export function bindingUrl(protocol: string, host: string, port: number): string | undefined {
  if (protocol !== 'http' && protocol !== 'https') return undefined
  return `${protocol}://${host}:${port}`
}
