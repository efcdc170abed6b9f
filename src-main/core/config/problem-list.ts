// Collects problems (errors) and warnings against paths of app.yaml and places each at its
// line and column.
import type { ConfigProblem, ProblemSeverity } from '../../../src-shared/problems'
import type { LocatedProblem } from './schema-problems'
import type { Path, YamlSource } from './yaml-source'

export class ProblemList {
  private readonly located: LocatedProblem[] = []
  private readonly warned: LocatedProblem[] = []

  constructor(readonly source: YamlSource) {}

  /** a problem with the value at path (or the nearest map that holds it, when it is missing) */
  at(path: Path, message: string): void {
    this.located.push({ position: this.source.valueAt(path), message })
  }

  /** a problem with a key itself: a field that should not be there */
  atKey(path: Path, message: string): void {
    this.located.push({ position: this.source.keyAt(path), message })
  }

  /** a warning about the value at path: said, but it fails nothing */
  warnAt(path: Path, message: string): void {
    this.warned.push({ position: this.source.valueAt(path), message })
  }

  lineOf(path: Path): number {
    return this.source.valueAt(path).line
  }

  addAll(problems: readonly LocatedProblem[]): void {
    this.located.push(...problems)
  }

  /** the errors so far (warnings do not count) */
  get count(): number {
    return this.located.length
  }

  /** in file order; one message per place */
  toConfigProblems(file: string): ConfigProblem[] {
    return toConfigProblems(this.located, file)
  }

  /** the warnings, in file order */
  toWarnings(file: string): ConfigProblem[] {
    return toConfigProblems(this.warned, file, 'warning')
  }
}

export function toConfigProblems(located: readonly LocatedProblem[], file: string, severity: ProblemSeverity = 'error'): ConfigProblem[] {
  const seen = new Set<string>()
  return [...located]
    .sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col)
    .filter((p) => {
      const key = `${p.position.line}:${p.position.col}:${p.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .map((p) => ({ file, line: p.position.line, col: p.position.col, severity, message: p.message }))
}
