// The application's log: every replica of every service (or those the filter keeps), the
// backlog of each merged in time order, then the live stream, without gaps or repeats.
import type { MicronetesClient } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { subscribeToAllLogs, type LogBusMessage } from './log-bus'
import type { LogFeedTarget } from './log-feed'

export const APP_BACKLOG_LINES = 2000

export interface AppLogFilter {
  /** undefined: every service */
  service?: string
  /** undefined: every replica of the service(s) */
  replica?: string
}

/** lines of several replicas, each list in its own order, merged by time (stable within a time) */
export function mergeByTime(lists: LogLine[][], limit: number): LogLine[] {
  const all = lists.flatMap((list, source) => list.map((line, index) => ({ line, source, index })))
  all.sort((a, b) => a.line.time - b.line.time || a.source - b.source || a.index - b.index)
  return all.slice(-limit).map((e) => e.line)
}

export function openAppLogFeed(client: MicronetesClient, services: string[], filter: AppLogFilter, target: LogFeedTarget): () => void {
  let held: LogBusMessage[] | undefined = []
  let closed = false
  const lastSeq = new Map<string, number>()
  const wanted = (service: string, replica: string): boolean =>
    (filter.service === undefined || service === filter.service) && (filter.replica === undefined || replica === filter.replica)

  const accept = (message: LogBusMessage): void => {
    if (message.kind === 'removed') {
      lastSeq.delete(message.replica)
      return
    }
    if (message.kind === 'dropped') {
      if (wanted(message.service, message.replica)) target.dropped(message.replica, message.count)
      return
    }
    const line = message.line
    if (!wanted(line.service, line.replica)) return
    if (line.seq <= (lastSeq.get(line.replica) ?? -1)) return
    lastSeq.set(line.replica, line.seq)
    target.lines([line])
  }

  const unsubscribe = subscribeToAllLogs((message) => (held ? held.push(message) : accept(message)))
  const chosen = filter.service === undefined ? services : [filter.service]
  Promise.all(
    chosen.map((service) => client.logs(filter.replica !== undefined ? { service, replica: filter.replica, tail: APP_BACKLOG_LINES } : { service, tail: APP_BACKLOG_LINES })),
  )
    .then(
      (lists) => {
        if (closed) return
        for (const list of lists) for (const line of list) lastSeq.set(line.replica, Math.max(line.seq, lastSeq.get(line.replica) ?? -1))
        // Each service's backlog was read at its own moment: a line of one that came live while
        // another's was still being read belongs among the backlog, not after it.
        const early: LogLine[] = []
        const rest: LogBusMessage[] = []
        for (const message of held ?? []) {
          if (message.kind !== 'line') {
            rest.push(message)
            continue
          }
          const line = message.line
          if (!wanted(line.service, line.replica) || line.seq <= (lastSeq.get(line.replica) ?? -1)) continue
          lastSeq.set(line.replica, line.seq)
          early.push(line)
        }
        held = rest
        target.lines(mergeByTime([...lists, early], APP_BACKLOG_LINES))
      },
      (err: unknown) => {
        if (!closed) target.failed(err instanceof Error ? err.message : String(err))
      },
    )
    .finally(() => {
      const pending = held ?? []
      held = undefined
      if (!closed) for (const message of pending) accept(message)
    })

  return () => {
    closed = true
    unsubscribe()
  }
}
