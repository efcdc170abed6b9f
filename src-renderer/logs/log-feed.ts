// One log tab's lines: the backlog first, then the live stream, without gaps or repeats.
// Live lines that arrive while the backlog is loading are held, then only those newer than
// the backlog (per replica, by seq) are passed on.
import type { MicronetesClient } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { subscribeToLogs, type LogBusMessage } from './log-bus'

export const BACKLOG_LINES = 2000

export interface LogFeedTarget {
  lines(lines: LogLine[]): void
  dropped(replica: string, count: number): void
  failed(message: string): void
}

export function openLogFeed(client: MicronetesClient, service: string, replica: string | undefined, target: LogFeedTarget): () => void {
  let held: LogBusMessage[] | undefined = []
  let closed = false
  const lastSeq = new Map<string, number>()

  const accept = (message: LogBusMessage): void => {
    if (message.kind === 'removed') {
      lastSeq.delete(message.replica)
      return
    }
    if (message.kind === 'dropped') {
      if (!replica || message.replica === replica) target.dropped(message.replica, message.count)
      return
    }
    const line = message.line
    if (replica && line.replica !== replica) return
    if (line.seq <= (lastSeq.get(line.replica) ?? -1)) return
    lastSeq.set(line.replica, line.seq)
    target.lines([line])
  }

  const unsubscribe = subscribeToLogs(service, (message) => (held ? held.push(message) : accept(message)))

  client
    .logs(replica ? { service, replica, tail: BACKLOG_LINES } : { service, tail: BACKLOG_LINES })
    .then(
      (backlog) => {
        if (closed) return
        for (const line of backlog) lastSeq.set(line.replica, Math.max(line.seq, lastSeq.get(line.replica) ?? -1))
        target.lines(backlog)
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
