// A MicronetesClient whose answers the test releases one by one, so the renderer's ordering
// rules (events held while a picture loads, backlog before live lines) can be driven into
// each interleaving on purpose. The real transports are covered by the browser tests.
import type { ContractResults, DeliveredEvent, MicronetesClient, SessionInfo } from '../../src-shared/contract'
import type { CommandName } from '../../src-shared/command-names'
import type { LogLine, ServiceStatus } from '../../src-shared/status'

interface Pending<T> {
  resolve(value: T): void
  reject(error: Error): void
}

export interface ClientUnderControl {
  client: MicronetesClient
  /** answers the oldest pending call of that command, or the newest */
  answer<C extends CommandName>(command: C, value: ContractResults[C], which?: 'oldest' | 'newest'): void
  fail(command: CommandName, message: string): void
  pending(command: CommandName): number
  emit(event: DeliveredEvent): void
}

export function clientUnderControl(): ClientUnderControl {
  const calls = new Map<CommandName, Pending<unknown>[]>()
  const listeners = new Set<(event: DeliveredEvent) => void>()
  const call = (command: CommandName) => () =>
    new Promise((resolve, reject) => {
      const queue = calls.get(command) ?? []
      queue.push({ resolve, reject })
      calls.set(command, queue)
    })
  const take = (command: CommandName, which: 'oldest' | 'newest' = 'oldest'): Pending<unknown> => {
    const queue = calls.get(command)
    const next = which === 'oldest' ? queue?.shift() : queue?.pop()
    if (!next) throw new Error(`no pending ${command} call`)
    return next
  }
  const client = new Proxy({} as MicronetesClient, {
    get(_, prop: string) {
      if (prop === 'subscribe') {
        return (listener: (event: DeliveredEvent) => void) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        }
      }
      return call(prop as CommandName)
    },
  })
  return {
    client,
    answer: (command, value, which) => take(command, which).resolve(value),
    fail: (command, message) => take(command).reject(new Error(message)),
    pending: (command) => calls.get(command)?.length ?? 0,
    emit: (event) => {
      for (const listener of listeners) listener(event)
    },
  }
}

export function session(id: string | undefined, more: Partial<SessionInfo> = {}): SessionInfo {
  return {
    state: id ? 'running' : 'empty',
    ...(id ? { application: { id, name: id, source: `/apps/${id}/app.yaml` } } : {}),
    problems: [],
    warnings: [],
    desktop: false,
    recentFiles: [],
    ...more,
  }
}

export function service(name: string, state: ServiceStatus['state'] = 'running', replicas: string[] = []): ServiceStatus {
  return {
    name,
    kind: 'executable',
    replicas: replicas.length,
    state,
    restarts: 0,
    bindings: [],
    args: [],
    replicaStatuses: replicas.map((r, i) => ({ name: r, service: name, ordinal: i + 1, state: 'ready', ports: [], exitCode: null, restarts: 0, commandLine: [] })),
  }
}

export function logLine(service: string, replica: string, seq: number, text = `line ${seq}`): LogLine {
  return { seq, time: 1_700_000_000_000 + seq, service, replica, stream: 'stdout', text }
}

/** lets promise callbacks queued by an answer run */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}
