// The dotenv files of app.yaml: `.env` beside it (values for ${VAR}) and each service's
// `envFile` (variables of its replicas). A problem inside such a file is placed at that
// file's line; a file that cannot be read is a problem of the app.yaml line that names it.
import { readFileSync, statSync } from 'node:fs'
import type { EnvVar } from '../../../src-shared/app-model'
import type { ConfigProblem } from '../../../src-shared/problems'
import { parseDotenv } from './dotenv'
import { MAX_APP_FILE_BYTES } from './read-app-file'

export type EnvFileRead =
  | { ok: true; vars: EnvVar[] }
  /** the file itself is missing or unreadable: said at the place that names it */
  | { ok: false; cannotRead: string }
  /** lines of the file are wrong: each at its own file:line:col */
  | { ok: false; problems: ConfigProblem[] }

/** shownAs: the path as a person reads it in a message (relative to where they ran the command) */
export function readEnvFile(absolute: string, shownAs: string): EnvFileRead {
  const stat = statSync(absolute, { throwIfNoEntry: false })
  if (!stat) return { ok: false, cannotRead: `no such file (looked for ${absolute})` }
  if (!stat.isFile()) return { ok: false, cannotRead: `${absolute} is not a file` }
  if (stat.size > MAX_APP_FILE_BYTES) return { ok: false, cannotRead: `${absolute} is larger than ${MAX_APP_FILE_BYTES / 1024 / 1024} MiB` }
  let text: string
  try {
    text = readFileSync(absolute, 'utf8')
  } catch (error) {
    return { ok: false, cannotRead: `cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }
  }
  const parsed = parseDotenv(text)
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems.map((p) => ({ file: shownAs, severity: 'error' as const, ...p })) }
  return { ok: true, vars: parsed.vars }
}

/** the service's own env over the files' variables, the files' later over earlier */
export function withFileVariables(fromFiles: EnvVar[][], own: EnvVar[]): EnvVar[] {
  const merged = new Map<string, string>()
  for (const vars of fromFiles) for (const v of vars) merged.set(v.name, v.value)
  for (const v of own) merged.delete(v.name)
  return [...[...merged].map(([name, value]) => ({ name, value })), ...own]
}
