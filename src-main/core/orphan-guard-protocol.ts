// What the orchestrator tells its orphan watchdog, one JSON object a line on the watchdog's
// stdin: replicas and containers to stop should the orchestrator die, and ones to forget.

export type GuardMessage =
  /** a replica: its leader (process group and session id) and start time, its cgroup if any */
  | { op: 'replica'; pgid: number; startTime: number; cgroup?: string }
  | { op: 'forget-replica'; pgid: number }
  /** a container; engine is `unix:/path/docker.sock` or `tcp:host:port` */
  | { op: 'container'; id: string; engine: string }
  | { op: 'forget-container'; id: string }

export function encodeGuardMessage(message: GuardMessage): string {
  return `${JSON.stringify(message)}\n`
}

/** a line that is not a message (a torn write, a newer orchestrator's message) is skipped */
export function decodeGuardMessage(line: string): GuardMessage | undefined {
  try {
    const message = JSON.parse(line) as GuardMessage
    return typeof message === 'object' && message !== null && typeof message.op === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

/** how long the watchdog's SIGTERM gets before SIGKILL */
export const ORPHAN_GRACE_MS = 2000
