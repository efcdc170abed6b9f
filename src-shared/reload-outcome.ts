// What the last reload of app.yaml did: shown by the console, the API (SessionInfo) and the
// dashboard until the next one.
import type { ConfigProblem } from './problems'

export interface ReloadOutcome {
  /** epoch milliseconds */
  at: number
  /**
   * applied: the difference runs; unchanged: the file says what already runs; invalid: the
   * file has problems and nothing was touched; failed: part of it could not be applied
   * (a port taken, new replicas that never became ready), the rest runs as before
   */
  result: 'applied' | 'unchanged' | 'invalid' | 'failed'
  /** "app.yaml changed: web replaced (args), worker scaled 3 -> 1, cache added" */
  summary: string
  /** the file's problems, each with file:line:col (invalid only) */
  problems: ConfigProblem[]
  /** why it failed, in a person's words */
  message?: string
}
