// Tye's service shapes list each replica's environment; statuses no longer carry it, so the
// routes look it up in the running application as they shape their answer.
import type { SessionHost } from '../core/session-host'

export function environmentOf(session: SessionHost): (replica: string) => Record<string, string> {
  return (replica) => {
    try {
      return session.current()?.replica(replica).environment ?? {}
    } catch {
      // scaled away between reading the services and shaping them: nothing to show
      return {}
    }
  }
}
