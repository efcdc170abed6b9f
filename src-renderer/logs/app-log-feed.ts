// The application's log: every replica of every service (or those the filter keeps), the
// backlog of each merged in time order, then the live stream, without gaps or repeats.
import type { MicronetesClient } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { subscribeToAllLogs } from './log-bus'
import { openFeed, type LogFeedTarget } from './log-feed'

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
  const chosen = filter.service === undefined ? services : [filter.service]
  return openFeed(
    {
      backlogs: () =>
        Promise.all(chosen.map((service) => client.logs(filter.replica !== undefined ? { service, replica: filter.replica, tail: APP_BACKLOG_LINES } : { service, tail: APP_BACKLOG_LINES }))),
      wanted: (service, replica) => (filter.service === undefined || service === filter.service) && (filter.replica === undefined || replica === filter.replica),
      subscribe: subscribeToAllLogs,
      // Each service's backlog was read at its own moment: a line of one that came live while
      // another's was still being read belongs among the backlog, not after it.
      merge: (lists) => mergeByTime(lists, APP_BACKLOG_LINES),
    },
    target,
  )
}
