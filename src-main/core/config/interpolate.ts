// ${VAR} in app.yaml's values, as Compose reads them: filled from the environment and the
// .env file beside app.yaml. Keys are never interpolated, and a value is interpolated after
// YAML has read it, so a variable can never add structure to the file.
//
//   ${VAR}           its value; an error when it is not set
//   ${VAR:-default}  default when unset or empty      ${VAR-default}  default when unset
//   ${VAR:?message}  an error with message when unset or empty; ${VAR?message} when unset
//   $$               a literal $ (a lone $ is kept as it is)
import type { Path } from './yaml-source'

export interface InterpolationProblem {
  path: Path
  /** the text in the value the problem is about, to find its column */
  needle: string
  message: string
}

export interface InterpolationOptions {
  lookup: (name: string) => string | undefined
  /** a ${name} that stays as written at this path (a connection string's ${host}) */
  keep?: (path: Path, name: string) => boolean
}

export interface Interpolated {
  problems: InterpolationProblem[]
  /** the paths whose string changed */
  changed: Path[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

/** replaces every string value of root in place */
export function interpolate(root: unknown, options: InterpolationOptions): Interpolated {
  const result: Interpolated = { problems: [], changed: [] }
  visit(root, [], options, result)
  return result
}

function visit(node: unknown, path: Path, options: InterpolationOptions, result: Interpolated): void {
  if (Array.isArray(node)) {
    node.forEach((item: unknown, i) => {
      if (typeof item === 'string') {
        const value = fill(item, [...path, i], options, result)
        if (value !== item) node[i] = value
      } else visit(item, [...path, i], options, result)
    })
  } else if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
    const map = node as Record<string, unknown>
    for (const key of Object.keys(map)) {
      const item = map[key]
      if (typeof item === 'string') {
        const value = fill(item, [...path, key], options, result)
        if (value !== item) map[key] = value
      } else visit(item, [...path, key], options, result)
    }
  }
}

function fill(text: string, path: Path, options: InterpolationOptions, result: Interpolated): string {
  if (!text.includes('$')) return text
  const filled = substitute(text, path, options)
  if ('error' in filled) {
    result.problems.push({ path, needle: filled.needle, message: filled.error })
    return text
  }
  if (filled.value !== text) result.changed.push(path)
  return filled.value
}

type Filled = { value: string } | { error: string; needle: string }

export function substitute(text: string, path: Path, options: InterpolationOptions): Filled {
  let out = ''
  let i = 0
  while (i < text.length) {
    const at = text.indexOf('$', i)
    if (at < 0) {
      out += text.slice(i)
      break
    }
    out += text.slice(i, at)
    const next = text[at + 1]
    if (next === '$') {
      out += '$'
      i = at + 2
      continue
    }
    if (next !== '{') {
      out += '$'
      i = at + 1
      continue
    }
    const end = closingBrace(text, at + 2)
    if (end < 0) return { error: `"\${" is never closed by "}" (write $$ for a literal $)`, needle: text.slice(at, at + 20) }
    const inner = text.slice(at + 2, end)
    const needle = text.slice(at, end + 1)
    const one = expression(inner, needle, path, options)
    if ('error' in one) return one
    out += one.value
    i = end + 1
  }
  return { value: out }
}

function expression(inner: string, needle: string, path: Path, options: InterpolationOptions): Filled {
  const name = NAME.exec(inner)?.[0]
  if (name === undefined) return { error: `"${needle}" does not name a variable: a name is letters, digits and "_", not starting with a digit`, needle }
  const rest = inner.slice(name.length)
  // Project Tye's ${env:NAME} in a connection string is filled later, from the replica's own variables
  if (name === 'env' && /^:[A-Za-z_]/.test(rest) && options.keep?.(path, name)) return { value: needle }
  const op = /^(:-|-|:\?|\?)?/.exec(rest)![0]
  if (op === '' && rest !== '') return { error: `"${needle}": expected "}", ":-", "-", ":?" or "?" after ${name}`, needle }
  if (op === '' && options.keep?.(path, name)) return { value: needle }
  const value = options.lookup(name)
  const missing = op.startsWith(':') ? value === undefined || value === '' : value === undefined
  if (!missing) return { value: value! }
  const word = rest.slice(op.length)
  switch (op) {
    case ':-':
    case '-':
      // a default may itself hold ${...}
      return substitute(word, path, options)
    case ':?':
    case '?':
      return { error: `variable ${name} ${value === undefined ? 'is not set' : 'is empty'}${word ? `: ${word}` : ''}`, needle }
    default:
      return { error: `variable ${name} is not set: set it in the environment or in .env beside app.yaml, or give a default with \${${name}:-default}`, needle }
  }
}

/** the "}" that closes a "${" opened before from, counting the ones nested in a default */
function closingBrace(text: string, from: number): number {
  let depth = 1
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++
      i++
    } else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}
