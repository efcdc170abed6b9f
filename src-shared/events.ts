// Everything that happens in a running application, on one stream. The core emits these;
// the HTTP API numbers and replays them; the dashboard consumes them.
import type { ResourceSample } from './resources'
import type { LogLine, ReplicaStatus, ServiceStatus } from './status'

export type MicronetesEvent =
  | { type: 'application'; state: 'starting' | 'running' | 'stopping' | 'stopped' }
  | { type: 'service'; service: ServiceStatus }
  | { type: 'replica'; replica: ReplicaStatus }
  | { type: 'replica-removed'; service: string; replica: string }
  /** a reload removed the service from the application */
  | { type: 'service-removed'; service: string }
  | { type: 'log'; line: LogLine }
  | { type: 'logs-dropped'; service: string; replica: string; count: number }
  /** a reading of every replica's CPU, memory and traffic: each second while someone looks */
  | { type: 'resources'; sample: ResourceSample }

export type EventType = MicronetesEvent['type']

/** every event but log lines: inside the core a replica's output travels as runs of lines, and becomes 'log' events only at the edges */
export type StateEvent = Exclude<MicronetesEvent, { type: 'log' }>
