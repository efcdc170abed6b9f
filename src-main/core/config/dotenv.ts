// The dotenv format, read line by line so that a line that cannot be read is reported with
// its number. (The dotenv package's parse() skips such lines without a word and keeps no
// positions, so a typo would silently drop a variable.)
//
//   # comment                 KEY=value            export KEY=value
//   KEY=value # comment       KEY='literal $x'     KEY="escapes \n, and
//                                                  lines that go on"
import { ENV_NAME, ENV_NAME_RULE } from '../../../src-shared/app-schema'
import type { EnvVar } from '../../../src-shared/app-model'

export interface DotenvProblem {
  /** 1-based */
  line: number
  /** 1-based */
  col: number
  message: string
}

export interface Dotenv {
  /** in file order; a name given twice keeps its last value, at its first place */
  vars: EnvVar[]
  problems: DotenvProblem[]
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' }

export function parseDotenv(text: string): Dotenv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const values = new Map<string, string>()
  const problems: DotenvProblem[] = []
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1
    const line = lines[i]!
    const trimmed = line.trimStart()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const indent = line.length - trimmed.length
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed
    const bodyCol = line.length - body.length + 1
    const eq = body.indexOf('=')
    if (eq < 0) {
      problems.push({ line: lineNo, col: indent + 1, message: `expected KEY=value, found "${short(trimmed)}"` })
      continue
    }
    const name = body.slice(0, eq).trimEnd()
    if (!ENV_NAME.test(name)) {
      problems.push({ line: lineNo, col: bodyCol, message: `"${short(name)}" is not a valid environment variable name (${ENV_NAME_RULE})` })
      continue
    }
    const afterEq = body.slice(eq + 1)
    const rest = afterEq.trimStart()
    const valueCol = line.length - rest.length + 1
    const quote = rest[0]
    if (quote !== '"' && quote !== "'") {
      values.set(name, unquotedValue(rest))
      continue
    }
    // a quoted value may go on over the next lines, up to its closing quote
    const quoted = readQuoted(lines, i, valueCol - 1, quote)
    if (!quoted) {
      problems.push({ line: lineNo, col: valueCol, message: `the value of ${name} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed` })
      break
    }
    const tail = quoted.tail.trim()
    if (tail !== '' && !tail.startsWith('#')) {
      problems.push({ line: quoted.endLine + 1, col: 1, message: `unexpected text after the closing quote of ${name}: "${short(tail)}"` })
    }
    values.set(name, quoted.value)
    i = quoted.endLine
  }
  return { vars: [...values].map(([name, value]) => ({ name, value })), problems }
}

/** up to a " #" comment, trimmed */
function unquotedValue(rest: string): string {
  const comment = rest.search(/\s#/)
  return (comment < 0 ? rest : rest.slice(0, comment)).trim()
}

function readQuoted(lines: string[], startLine: number, startCol: number, quote: string): { value: string; endLine: number; tail: string } | undefined {
  let value = ''
  let from = startCol + 1
  for (let l = startLine; l < lines.length; l++) {
    const line = lines[l]!
    for (let c = from; c < line.length; c++) {
      const ch = line[c]!
      if (ch === quote) return { value, endLine: l, tail: line.slice(c + 1) }
      if (quote === '"' && ch === '\\' && c + 1 < line.length) {
        const next = line[c + 1]!
        value += ESCAPES[next] ?? `\\${next}`
        c++
        continue
      }
      value += ch
    }
    value += '\n'
    from = 0
  }
  return undefined
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
