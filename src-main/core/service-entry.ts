// What the orchestrator keeps per service and per replica, and the status a host sees of it.
import type { Service } from '../../src-shared/app-model'
import type { BindingStatus, BuildOutcome, ServiceStatus } from '../../src-shared/status'
import type { LogBuffer } from './log-buffer'
import type { BindingProxy } from './proxy-types'
import type { ReplicaSupervisor } from './replica-supervisor'
import { serviceState } from './service-state'

export interface ReplicaEntry {
  supervisor: ReplicaSupervisor
  logs: LogBuffer
  /** the dropped-line count last told in a logs-dropped event */
  droppedReported: number
  /** pending next logs-dropped report, if any */
  dropReport?: NodeJS.Timeout
  /** scaled away: out of the proxy, stopping, listed until its process group is gone */
  removing?: boolean
}

export interface ServiceEntry {
  service: Service
  /** the 8 hex of this run's replica names */
  suffix: string
  desired: number
  /** stopped by the user: keeps its replicas, runs none */
  stopped: boolean
  /** with their public ports, once published */
  bindings: BindingStatus[]
  /** one per binding, in binding order */
  proxies: BindingProxy[]
  replicas: Map<string, ReplicaEntry>
  /** control actions on one service run one after another */
  queue: Promise<unknown>
  lastBuild?: BuildOutcome
  /** the build's output, when it has a build */
  buildLogs?: LogBuffer
  /** why its watch is paused, when it is */
  watchPaused?: string
  // start order (dependency-gate.ts, start-order.ts)
  /** held until its dependencies meet their conditions */
  waiting: boolean
  /** while waiting: "waiting for db (ready)", and why when a dependency is in trouble */
  waitMessage?: string
  waitingFor?: string[]
  /** why it was left out at start; cleared when it is started by hand */
  notStarted?: string
}

export function sortedReplicas(entry: ServiceEntry): ReplicaEntry[] {
  return [...entry.replicas.values()].sort((a, b) => a.supervisor.ordinal - b.supervisor.ordinal)
}

export function serviceStatus(entry: ServiceEntry): ServiceStatus {
  const { service } = entry
  const replicaStatuses = sortedReplicas(entry).map((r) => r.supervisor.status())
  const status: ServiceStatus = {
    name: service.name,
    kind: service.kind,
    replicas: entry.desired,
    state: serviceState({
      external: service.kind === 'external',
      stopped: entry.stopped,
      desired: entry.desired,
      // a replica on its way out does not make a service that is scaling down 'starting'
      replicaStates: sortedReplicas(entry).filter((r) => !r.removing).map((r) => r.supervisor.currentState),
    }),
    restarts: replicaStatuses.reduce((sum, r) => sum + r.restarts, 0),
    bindings: entry.bindings.length > 0 ? entry.bindings.map((b) => ({ ...b })) : service.bindings.map((b) => ({ ...b, port: b.port ?? 0 })),
    args: [...service.args],
    env: service.env.map((e) => ({ ...e })),
    replicaStatuses,
  }
  if (service.image !== undefined) status.image = service.image
  if (service.executable !== undefined) status.executable = service.executable
  if (service.project !== undefined) status.project = service.project
  if (service.workingDirectory !== undefined) status.workingDirectory = service.workingDirectory
  if (service.tags !== undefined && service.tags.length > 0) status.tags = [...service.tags]
  if (service.envFiles.length > 0) status.envFiles = [...service.envFiles]
  if (service.build) status.build = [...service.build]
  if (service.watch) status.watch = { ...service.watch, paths: [...service.watch.paths], ignore: [...service.watch.ignore] }
  if (entry.lastBuild) status.lastBuild = { ...entry.lastBuild }
  if (entry.watchPaused !== undefined) status.watchPaused = entry.watchPaused
  if (service.deploy !== undefined) status.deploy = structuredClone(service.deploy)
  if (service.daprSidecar) status.sidecarOf = service.daprSidecar.app
  const troubled = replicaStatuses.find((r) => r.message && r.state !== 'ready' && r.state !== 'stopping')
  if (troubled?.message) status.message = `${troubled.name}: ${troubled.message}`
  if (entry.lastBuild?.state === 'failed') status.message = entry.lastBuild.message?.split('\n')[0] ?? 'build failed'
  // a replica that readiness took out of the proxy leaves its service short, as a crash does
  if (status.state === 'starting' && sortedReplicas(entry).some((r) => r.supervisor.droppedOut)) status.state = 'degraded'
  if (service.dependsOn.length > 0) status.dependsOn = service.dependsOn.map((d) => ({ ...d }))
  if (entry.waiting && !entry.stopped) {
    status.state = 'waiting'
    if (entry.waitingFor) status.waitingFor = [...entry.waitingFor]
    if (entry.waitMessage) status.message = entry.waitMessage
  }
  if (entry.notStarted !== undefined) {
    status.notStarted = entry.notStarted
    status.message = `not started: ${entry.notStarted}`
  }
  return status
}
