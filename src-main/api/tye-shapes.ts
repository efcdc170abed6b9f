// Project Tye's v1 read API shapes, kept so its clients (the VS Code extension, IDE plugins)
// read Micronetes as they read Tye. Tye's enums are camelCase strings on the wire. Micronetes'
// own fields sit beside Tye's; clients ignore what they do not know.
import { quote } from 'shell-quote'
import type { Dependency } from '../../src-shared/app-model'
import type { ProbeResult, ReplicaStatus, ServiceStatus } from '../../src-shared/status'

export type TyeRunInfoType = 'project' | 'executable' | 'docker' | 'external' | 'ingress'
export type TyeServiceType = 'project' | 'executable' | 'container' | 'external' | 'ingress'

export interface TyeBinding {
  name: string | null
  port: number
  containerPort: number | null
  host: string
  protocol: string
  connectionString: string | null
  autoAssignPort: boolean
  routes: string[]
  // Micronetes' own
  connectionStringOnly: boolean
}

export interface TyeReplica {
  name: string
  type: 'process' | 'docker'
  /** absent while no process runs: Tye's clients type it number | undefined and call pid.toString() when present */
  pid?: number
  containerId: string | null
  dockerCommand: string | null
  ports: number[]
  environment: Record<string, string>
  exitCode: number | null
  state: string
  // Micronetes' own
  service: string
  restarts: number
  startedAt: number | null
  nextRetryAt: number | null
  message: string | null
  commandLine: string[]
  workingDirectory: string | null
  health: ReplicaStatus['health'] | null
  readiness: ProbeResult | null
  liveness: ProbeResult | null
}

export interface TyeService {
  description: {
    name: string
    replicas: number
    runInfo: {
      type: TyeRunInfoType
      project?: string
      executable?: string
      image?: string
      args?: string
      workingDirectory?: string
      build: boolean
    }
    bindings: TyeBinding[]
    configuration: { name: string; value: string }[]
  }
  serviceType: TyeServiceType
  serviceSource: 'configuration'
  restarts: number
  status: { projectFilePath?: string; executablePath?: string; args?: string; workingDirectory?: string }
  replicas: Record<string, TyeReplica>
  // Micronetes' own
  name: string
  kind: ServiceStatus['kind']
  state: ServiceStatus['state']
  message: string | null
  dependsOn: Dependency[]
  waitingFor: string[] | null
  notStarted: string | null
  /** app.yaml's deploy: what `micronetes generate` uses */
  deploy: NonNullable<ServiceStatus['deploy']> | null
}

const RUN_INFO_TYPE: Record<ServiceStatus['kind'], TyeRunInfoType> = {
  project: 'project',
  executable: 'executable',
  container: 'docker',
  external: 'external',
  ingress: 'ingress',
}

function joinArgs(args: string[]): string | undefined {
  return args.length > 0 ? quote(args) : undefined
}

/** environment: the replica's own (ReplicaDetails); statuses do not carry it */
export function toTyeReplica(replica: ReplicaStatus, environment: Record<string, string>): TyeReplica {
  return {
    name: replica.name,
    type: replica.containerId ? 'docker' : 'process',
    ...(replica.pid !== undefined ? { pid: replica.pid } : {}),
    containerId: replica.containerId ?? null,
    dockerCommand: replica.containerId && replica.commandLine.length > 0 ? quote(replica.commandLine) : null,
    ports: replica.ports,
    environment,
    exitCode: replica.exitCode,
    state: replica.state,
    service: replica.service,
    restarts: replica.restarts,
    startedAt: replica.startedAt ?? null,
    nextRetryAt: replica.nextRetryAt ?? null,
    message: replica.message ?? null,
    commandLine: replica.commandLine,
    workingDirectory: replica.workingDirectory ?? null,
    health: replica.health ?? null,
    readiness: replica.readiness ?? null,
    liveness: replica.liveness ?? null,
  }
}

export function toTyeService(service: ServiceStatus, environmentOf: (replica: string) => Record<string, string>): TyeService {
  const args = joinArgs(service.args)
  const runInfo: TyeService['description']['runInfo'] = { type: RUN_INFO_TYPE[service.kind], build: false }
  if (service.project !== undefined) runInfo.project = service.project
  if (service.executable !== undefined) runInfo.executable = service.executable
  if (service.image !== undefined) runInfo.image = service.image
  if (args !== undefined) runInfo.args = args
  if (service.workingDirectory !== undefined) runInfo.workingDirectory = service.workingDirectory

  const status: TyeService['status'] = {}
  if (service.project !== undefined) status.projectFilePath = service.project
  if (service.executable !== undefined) status.executablePath = service.executable
  if (args !== undefined) status.args = args
  if (service.workingDirectory !== undefined) status.workingDirectory = service.workingDirectory

  const replicas: Record<string, TyeReplica> = {}
  for (const replica of service.replicaStatuses) replicas[replica.name] = toTyeReplica(replica, environmentOf(replica.name))

  return {
    description: {
      name: service.name,
      replicas: service.replicas,
      runInfo,
      bindings: service.bindings.map((b) => ({
        name: b.name ?? null,
        port: b.port,
        containerPort: b.containerPort ?? null,
        host: b.host,
        protocol: b.protocol,
        connectionString: b.connectionString ?? null,
        // Tye's flag for "the file gave no port"; the status only holds the port in use
        autoAssignPort: false,
        routes: b.routes ?? [],
        connectionStringOnly: b.connectionStringOnly === true,
      })),
      configuration: (service.env ?? []).map((e) => ({ name: e.name, value: e.value })),
    },
    serviceType: service.kind,
    serviceSource: 'configuration',
    restarts: service.restarts,
    status,
    replicas,
    name: service.name,
    kind: service.kind,
    state: service.state,
    message: service.message ?? null,
    dependsOn: service.dependsOn ?? [],
    waitingFor: service.waitingFor ?? null,
    notStarted: service.notStarted ?? null,
    deploy: service.deploy ?? null,
  }
}
