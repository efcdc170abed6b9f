// A service's `build` and `watch` as the model holds them: the command split into words, the
// watched paths made absolute, the defaults filled.
import { durationMs } from './duration'
import { resolve } from 'node:path'
import type { Watch } from '../../../src-shared/app-model'
import type { RawService, RawWatch } from '../../../src-shared/app-schema'
import type { ProblemList } from './problem-list'
import { splitArgs } from './split-args'
import type { Path } from './yaml-source'

export const DEFAULT_WATCH_DEBOUNCE_MS = 300

export function buildCommand(raw: RawService['build'], path: Path, say: string, problems: ProblemList): string[] | undefined {
  // Tye's build: false (a .NET project run as built) is not a command
  if (raw === undefined || typeof raw === 'boolean') return undefined
  if (Array.isArray(raw)) return raw
  const split = splitArgs(raw)
  if (!split.ok) {
    problems.at([...path, 'build'], `${say}"build" cannot be split into words: ${split.message}`)
    return undefined
  }
  if (split.args.length === 0) problems.at([...path, 'build'], `${say}"build" is empty`)
  return split.args
}

export function watchOf(raw: RawService['watch'], hasBuild: boolean, directory: string, path: Path, say: string, problems: ProblemList): Watch | undefined {
  if (raw === undefined) return undefined
  const given: RawWatch = typeof raw === 'string' || Array.isArray(raw) ? { paths: raw } : raw
  const paths = typeof given.paths === 'string' ? [given.paths] : given.paths
  const action = given.action ?? (hasBuild ? 'rebuild' : 'restart')
  if (action === 'rebuild' && !hasBuild) problems.at([...path, 'watch', 'action'], `${say}watch action "rebuild" needs a "build" command`)
  return {
    paths: paths.map((p) => resolve(directory, p)),
    ignore: given.ignore ?? [],
    debounceMs: durationMs(given.debounce) ?? DEFAULT_WATCH_DEBOUNCE_MS,
    action,
    cascade: given.cascade ?? false,
  }
}

