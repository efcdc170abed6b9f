// One log tab's lines: the backlog first, then the live stream, without gaps or repeats.
// Live lines that arrive while the backlog is loading are held, then only those newer than
// the backlog (per replica, by seq) are passed on. The application's log (app-log-feed.ts)
// is the same feed over several services' backlogs.
import type { MicronetesClient } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { subscribeToLogs, type LogBusMessage } from './log-bus'

export const BACKLOG_LINES = 2000

export interface LogFeedTarget {
  lines(lines: LogLine[]): void
  dropped(replica: string, count: number): void
  failed(message: string): void
}

/** what a feed shows: its backlogs, which replicas' live messages belong, and where they come from */
export interface FeedSource {
  backlogs(): Promise<LogLine[][]>
  wanted(service: string, replica: string): boolean
  subscribe(listener: (message: LogBusMessage) => void): () => void
  /**
   * the first lines shown, from the backlogs and, last, the live lines held while they loaded
   * that are newer than them; without it, the backlog is shown, then the held lines one by one
   */
  merge?(lists: LogLine[][]): LogLine[]
}

export function openFeed(source: FeedSource, target: LogFeedTarget): () => void {
  let held: LogBusMessage[] | undefined = []
  let closed = false
  const lastSeq = new Map<string, number>()
  const isNew = (line: LogLine): boolean => source.wanted(line.service, line.replica) && line.seq > (lastSeq.get(line.replica) ?? -1)

  const accept = (message: LogBusMessage): void => {
    if (message.kind === 'removed') {
      lastSeq.delete(message.replica)
      return
    }
    if (message.kind === 'dropped') {
      if (source.wanted(message.service, message.replica)) target.dropped(message.replica, message.count)
      return
    }
    if (!isNew(message.line)) return
    lastSeq.set(message.line.replica, message.line.seq)
    target.lines([message.line])
  }

  const unsubscribe = source.subscribe((message) => (held ? held.push(message) : accept(message)))
  source
    .backlogs()
    .then(
      (backlogs) => {
        if (closed) return
        for (const list of backlogs) for (const line of list) lastSeq.set(line.replica, Math.max(line.seq, lastSeq.get(line.replica) ?? -1))
        if (!source.merge) {
          target.lines(backlogs.flat())
          return
        }
        const early: LogLine[] = []
        const rest: LogBusMessage[] = []
        for (const message of held ?? []) {
          if (message.kind === 'line' && isNew(message.line)) {
            lastSeq.set(message.line.replica, message.line.seq)
            early.push(message.line)
          } else if (message.kind !== 'line') rest.push(message)
        }
        held = rest
        target.lines(source.merge([...backlogs, early]))
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

export function openLogFeed(client: MicronetesClient, service: string, replica: string | undefined, target: LogFeedTarget): () => void {
  return openFeed(
    {
      backlogs: async () => [await client.logs(replica ? { service, replica, tail: BACKLOG_LINES } : { service, tail: BACKLOG_LINES })],
      wanted: (_service, of) => !replica || of === replica,
      subscribe: (listener) => subscribeToLogs(service, listener),
    },
    target,
  )
}
