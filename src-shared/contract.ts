// The one list of what the UI can ask. Each entry's input is validated by the transport
// (Electron IPC or HTTP) before the core sees it; results are typed by ContractResults.
import * as z from 'zod'
import type { ConfigProblem } from './problems'
import type { ReloadOutcome } from './reload-outcome'
import type { ApplicationInfo, LogLine, ReplicaDetails, ReplicaStatus, ServiceStatus } from './status'
import type { MicronetesEvent } from './events'
import type { ResourcesView } from './resources'
import { MAX_LOG_TAIL, MAX_REPLICAS, type CommandName } from './command-names'

export { COMMAND_NAMES, MAX_LOG_TAIL, MAX_REPLICAS, type CommandName } from './command-names'

const serviceName = z.string().min(1).max(253)
const replicaName = z.string().min(1).max(300)

export const contract = {
  session: { input: z.object({}).strict() },
  services: { input: z.object({}).strict() },
  logs: {
    input: z
      .object({ service: serviceName, replica: replicaName.optional(), tail: z.number().int().min(0).max(MAX_LOG_TAIL).optional() })
      .strict(),
  },
  /** one replica with its environment, for its details */
  replica: { input: z.object({ replica: replicaName }).strict() },
  resources: { input: z.object({ service: serviceName.optional() }).strict() },
  scale: { input: z.object({ service: serviceName, replicas: z.number().int().min(0).max(MAX_REPLICAS) }).strict() },
  restartService: { input: z.object({ service: serviceName }).strict() },
  restartReplica: { input: z.object({ replica: replicaName }).strict() },
  stopService: { input: z.object({ service: serviceName }).strict() },
  startService: { input: z.object({ service: serviceName }).strict() },
  /** desktop only: open a file (a dialog when path is absent); the HTTP host answers 'conflict' */
  openApplication: { input: z.object({ path: z.string().min(1).max(4096).optional() }).strict() },
  reloadApplication: { input: z.object({}).strict() },
  closeApplication: { input: z.object({}).strict() },
} as const satisfies Record<CommandName, { input: z.ZodType }>
export type CommandInput<C extends CommandName> = z.input<(typeof contract)[C]['input']>
export type ValidInput<C extends CommandName> = z.output<(typeof contract)[C]['input']>

export type SessionState = 'empty' | 'starting' | 'running' | 'stopping' | 'error'

export interface SessionInfo {
  state: SessionState
  application?: ApplicationInfo
  /** problems of the last file opened, each with file:line:col */
  problems: ConfigProblem[]
  /** warnings of the last file opened: said, but they stopped nothing (a command not on PATH yet) */
  warnings: ConfigProblem[]
  /** why the last open or start failed, in a person's words (a port taken, a file unreadable) */
  message?: string
  /** the HTTP API's base URL, e.g. http://127.0.0.1:8000 */
  apiUrl?: string
  /** true inside the desktop app: it can open files and keeps recent ones */
  desktop: boolean
  recentFiles: string[]
  /** what the last reload of the running application did (a file change or Reload) */
  lastReload?: ReloadOutcome
  /** true when changes to app.yaml and the files it reads are applied as they are saved */
  watching?: boolean
  /** why the bindings' proxies run on Node threads instead of the native relay (it failed to start); absent while the relay serves or was never wanted */
  proxyFallback?: string
  /** why replicas' processes are started by Node's spawn() instead of micronetes-spawn (it failed to start, or died); absent while the spawner serves or where it is not built */
  spawnFallback?: string
}

export interface ContractResults {
  session: SessionInfo
  services: ServiceStatus[]
  logs: LogLine[]
  replica: ReplicaDetails
  resources: ResourcesView
  scale: ServiceStatus
  restartService: ServiceStatus
  restartReplica: ReplicaStatus
  stopService: ServiceStatus
  startService: ServiceStatus
  openApplication: SessionInfo
  reloadApplication: SessionInfo
  closeApplication: SessionInfo
}

/** an event as delivered to the UI: numbered by the host so a client can resume */
export type DeliveredEvent =
  | (MicronetesEvent & { id: number })
  | { type: 'session'; id: number; session: SessionInfo }
  /** desktop only: a notification was clicked, show this service (or the application) */
  | { type: 'show-service'; id: number; service?: string }

/** What the renderer holds: the same methods over IPC (preload) or HTTP (browser). */
export type MicronetesClient = {
  [C in CommandName]: (input: CommandInput<C>) => Promise<ContractResults[C]>
} & {
  /** live events; returns the unsubscribe */
  subscribe(listener: (event: DeliveredEvent) => void): () => void
}

/** What a host implements: the same methods, given validated input. */
export type ContractHandlers = {
  [C in CommandName]: (input: ValidInput<C>) => Promise<ContractResults[C]> | ContractResults[C]
}
