// A problem found in app.yaml, pointing at the place a person must edit. An error stops the
// application from starting; a warning is said and nothing else (what it names may yet appear).
import { terminalSafeText } from './terminal-text'

export type ProblemSeverity = 'error' | 'warning'

export interface ConfigProblem {
  /** path of the file as the user gave it */
  file: string
  /** 1-based */
  line: number
  /** 1-based */
  col: number
  severity: ProblemSeverity
  message: string
}

/**
 * file:line:col: message, or file:line:col: warning: message (the form editors turn into links),
 * for a terminal: a message quotes app.yaml, which may hold any character, so it is cleaned.
 */
export function formatProblem(p: ConfigProblem): string {
  return terminalSafeText(`${p.file}:${p.line}:${p.col}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`)
}
