// `micronetes validate [file]`: checks app.yaml and starts nothing. Problems go to stderr as
// file:line:col: message (the form editors and terminals turn into links), warnings as
// file:line:col: warning: message; only problems fail it. --json is for tools.
import { findAppFile } from '../core/config/find-app-file'
import { loadApplication } from '../core/config/load-application'
import { summarize, summaryLine } from '../core/config/summary'
import { formatProblem } from '../../src-shared/problems'
import type { ParsedCommand } from './command-line'

interface ValidateOptions {
  json?: boolean
}

export function validateCommand(parsed: ParsedCommand): Promise<number> {
  return validate(parsed.argument('file')!, { json: parsed.flag('json') })
}

async function validate(named: string, options: ValidateOptions): Promise<number> {
  const found = findAppFile(named)
  const file = found.ok ? found.file : named
  const result = found.ok ? await loadApplication(file) : { ok: false as const, problems: [{ file: named, line: 1, col: 1, severity: 'error' as const, message: found.message }], warnings: [] }
  if (options.json) {
    const summary = result.ok ? summarize(result.application) : null
    process.stdout.write(JSON.stringify({ ok: result.ok, problems: result.ok ? [] : result.problems, warnings: result.warnings, summary }) + '\n')
    return result.ok ? 0 : 1
  }
  const said = [...(result.ok ? [] : result.problems), ...result.warnings].sort((a, b) => a.line - b.line || a.col - b.col)
  // stderr is not touched when there is nothing to say: opening it on a pipe loads net and streams
  if (said.length > 0) process.stderr.write(said.map((p) => formatProblem(p) + '\n').join(''))
  if (!result.ok) return 1
  process.stdout.write(`${file}: ${summaryLine(summarize(result.application))}\n`)
  return 0
}
