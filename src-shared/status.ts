// Runtime status of a running application: what the API returns, what events carry and
// what the dashboard shows. Times are epoch milliseconds.
import type { Binding, Deploy, EnvVar, ServiceKind } from './app-model'

export type ReplicaState =
  | 'starting' // launched, not yet accepting on its ports
  | 'running' // process/container alive
  | 'ready' // alive and its ports accept connections (or it has no ports)
  | 'stopping'
  | 'stopped'
  | 'crashed' // exited unexpectedly; a restart may follow
  | 'backoff' // waiting until nextRetryAt before restarting
  | 'failed' // cannot run (missing image, engine unreachable, spawn error) and will not retry by itself

export interface ReplicaStatus {
  name: string
  service: string
  state: ReplicaState
  pid?: number
  containerId?: string
  /** this replica's internal ports, one per binding, in binding order */
  ports: number[]
  exitCode: number | null
  restarts: number
  startedAt?: number
  nextRetryAt?: number
  /** why it is crashed/failed, in a person's words */
  message?: string
  commandLine: string[]
  workingDirectory?: string
  /** the environment the replica was given (including the discovery variables) */
  environment: Record<string, string>
}

export interface BindingStatus extends Binding {
  /** the proxy port (binding port, assigned when the file had none) */
  port: number
}

export type ServiceState = 'starting' | 'running' | 'degraded' | 'stopped' | 'failed' | 'external'

export interface ServiceStatus {
  name: string
  kind: ServiceKind
  /** desired replica count */
  replicas: number
  state: ServiceState
  message?: string
  restarts: number
  bindings: BindingStatus[]
  /** the service's own definition as run: for details views and the Tye-style API */
  image?: string
  executable?: string
  project?: string
  args: string[]
  workingDirectory?: string
  /** the service's own env from app.yaml (not the discovery variables): Tye's `configuration` */
  env?: EnvVar[]
  /** how `micronetes generate` runs it on a cluster or Compose (image, resources) */
  deploy?: Deploy
  replicaStatuses: ReplicaStatus[]
}

export interface ApplicationInfo {
  id: string
  name: string
  source: string
}

export interface LogLine {
  /** sequence number within the replica's log, grows by one per line */
  seq: number
  time: number
  service: string
  replica: string
  stream: 'stdout' | 'stderr' | 'system'
  text: string
}
