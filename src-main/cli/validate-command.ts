// `micronetes validate [file]`: checks app.yaml and starts nothing. Problems go to stderr as
// file:line:col: message (the form editors and terminals turn into links), warnings as
// file:line:col: warning: message; only problems fail it. --json is for tools.
import type { Command } from 'commander'
import { findAppFile } from '../core/config/find-app-file'
import { loadApplication } from '../core/config/load-application'
import { summarize, summaryLine } from '../core/config/summary'
import { formatProblem } from '../../src-shared/problems'

interface ValidateOptions {
  json?: boolean
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check an app.yaml and report every problem with file:line:col; starts nothing')
    .argument('[file]', 'the app.yaml to check, or a folder holding app.yaml (or tye.yaml / tye.yml)', '.')
    .option('--json', 'print one JSON object { ok, problems, warnings, summary } on stdout')
    .action(async (file: string, options: ValidateOptions) => {
      process.exitCode = await validate(file, options)
    })
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
  process.stderr.write(said.map((p) => formatProblem(p) + '\n').join(''))
  if (!result.ok) return 1
  process.stdout.write(`${file}: ${summaryLine(summarize(result.application))}\n`)
  return 0
}
