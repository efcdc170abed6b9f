// Runtime status of a running application: what the API returns, what events carry and
// what the dashboard shows. Times are epoch milliseconds.
import type { Binding, Dependency, Deploy, EnvVar, IngressRule, ServiceKind, Watch } from './app-model'

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
  /** its number within the service, 1-based: web_3f9a1c2b-2 is 2 (never parse it from the name) */
  ordinal: number
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
  // health (only for a service with readiness or liveness probes)
  /** healthy: its probes pass; unhealthy: one fails now */
  health?: 'healthy' | 'unhealthy'
  /** the last readiness check of this launch */
  readiness?: ProbeResult
  /** the last liveness check of this launch */
  liveness?: ProbeResult
}

/**
 * A replica's status with what it was started with: the environment is kilobytes and never
 * changes for a replica, so it is asked for when a replica's details open (the `replica`
 * command), not carried by every status event.
 */
export interface ReplicaDetails extends ReplicaStatus {
  /** the environment the replica was given (including the discovery variables, without what it inherits) */
  environment: Record<string, string>
}

/** one check of a probe */
export interface ProbeResult {
  ok: boolean
  /** what was checked and what came back: "GET /health answered 200" */
  message: string
  /** when it was checked */
  at: number
  /** failures in a row, so far */
  failures: number
}

export interface BindingStatus extends Binding {
  /** the proxy port (binding port, assigned when the file had none) */
  port: number
}

/** waiting: its dependencies do not meet their conditions yet (see waitingFor) */
export type ServiceState = 'starting' | 'running' | 'degraded' | 'stopped' | 'failed' | 'external' | 'waiting'

/** what a status describes: a service of the file, or one of Tye's ingresses shown beside them */
export type StatusKind = ServiceKind | 'ingress'

export interface ServiceStatus {
  name: string
  kind: StatusKind
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
  /** Tye's `tags` */
  tags?: string[]
  /** an ingress's routing rules, in the file's order */
  ingressRules?: IngressRule[]
  /** absolute paths of the dotenv files read into env */
  envFiles?: string[]
  /** the build command, when it has one */
  build?: string[]
  watch?: Watch
  /** the last build's outcome, when it has a build */
  lastBuild?: BuildOutcome
  /** why its watch stopped acting (it kept triggering itself), when it did */
  watchPaused?: string
  /** how `micronetes generate` runs it on a cluster or Compose (image, resources) */
  deploy?: Deploy
  replicaStatuses: ReplicaStatus[]
  // start order
  /** what must hold before it starts, as app.yaml says (absent when nothing) */
  dependsOn?: Dependency[]
  /** while state is waiting: each dependency not met yet, e.g. "db (ready)" */
  waitingFor?: string[]
  /** why it was not started (autoStart: false, or not among the services asked for); start it by hand */
  notStarted?: string
  /** the app whose Dapr sidecar this service is: it has as many replicas as its app, and is scaled with it */
  sidecarOf?: string
}

export interface BuildOutcome {
  state: 'building' | 'succeeded' | 'failed'
  at: number
  /** why it failed: the exit code and the last lines of its output */
  message?: string
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
