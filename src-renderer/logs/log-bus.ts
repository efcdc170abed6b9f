// Log lines from the event stream, handed to whichever terminals show their service.
// A plain listener set: the lines never pass through React state.
import type { LogLine } from '../../src-shared/status'

export type LogBusMessage =
  | { kind: 'line'; line: LogLine }
  | { kind: 'dropped'; service: string; replica: string; count: number }
  /** the replica is gone; one of the same name later (after scaling back up) numbers from 1 again */
  | { kind: 'removed'; service: string; replica: string }

type Listener = (message: LogBusMessage) => void

const listenersByService = new Map<string, Set<Listener>>()
/** the application-wide log view hears every service */
const listenersOfAll = new Set<Listener>()

export function publishLog(message: LogBusMessage): void {
  const service = message.kind === 'line' ? message.line.service : message.service
  const listeners = listenersByService.get(service)
  if (listeners) for (const listener of listeners) listener(message)
  for (const listener of listenersOfAll) listener(message)
}

export function subscribeToAllLogs(listener: Listener): () => void {
  listenersOfAll.add(listener)
  return () => {
    listenersOfAll.delete(listener)
  }
}

export function subscribeToLogs(service: string, listener: Listener): () => void {
  let listeners = listenersByService.get(service)
  if (!listeners) listenersByService.set(service, (listeners = new Set()))
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) listenersByService.delete(service)
  }
}
