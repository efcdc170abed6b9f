// What a running application offers its hosts (the CLI, the HTTP API, the Electron main
// process). The core's Orchestrator implements it; unknown names throw
// ControlError('not-found'), actions that do not apply throw ControlError('conflict').
import type { StateEvent } from './events'
import type { ReplicaMetrics, ResourcesView } from './resources'
import type { ApplicationInfo, LogLine, ReplicaDetails, ReplicaStatus, ServiceStatus } from './status'

export type { ReplicaMetrics } from './resources'

export interface LogQuery {
  service: string
  replica?: string
  /** last N lines; all that is kept when absent */
  tail?: number
}

export interface ControlPlane {
  application(): ApplicationInfo
  services(): ServiceStatus[]
  service(name: string): ServiceStatus
  /** one replica with its environment; not-found when no replica has that name */
  replica(name: string): ReplicaDetails
  logs(query: LogQuery): LogLine[]
  metrics(service?: string): Promise<ReplicaMetrics[]>
  /** the latest reading and each replica's history (CPU, memory, traffic) */
  resources(service?: string): ResourcesView
  /** resolve once the change is accepted; the outcome follows as events */
  scale(service: string, replicas: number): Promise<ServiceStatus>
  restartService(service: string): Promise<ServiceStatus>
  restartReplica(replica: string): Promise<ReplicaStatus>
  stopService(service: string): Promise<ServiceStatus>
  startService(service: string): Promise<ServiceStatus>
  /** state changes; replicas' log output travels as runs (Orchestrator.subscribe's onLogRun), never as 'log' events here */
  subscribe(listener: (event: StateEvent) => void): () => void
}
