// app.yaml parsed twice over: a plain value to validate, and the YAML tree kept beside it so
// every problem can point at the line and column of the node it is about.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml'
import type { Document, Node } from 'yaml'
import { tooDeep } from './nesting-depth'
import { unclosedQuoteAt } from './unclosed-quote'

export type Path = readonly (string | number)[]

export interface Position {
  line: number
  col: number
}

/**
 * Each alias expansion counts; a file that needs more than this is an alias bomb
 * ("billion laughs"), refused before it eats the memory.
 */
export const MAX_ALIAS_COUNT = 100

export type ParsedYaml =
  | { ok: true; value: unknown; source: YamlSource }
  | { ok: false; problems: { position: Position; message: string }[] }

export function parseYaml(withBom: string): ParsedYaml {
  // editors save a byte order mark at times; it is no column of line 1, and it trips yaml's lexer
  const text = withBom.startsWith('\uFEFF') ? withBom.slice(1) : withBom
  const lineCounter = new LineCounter()
  const deep = tooDeep(text)
  if (deep) return { ok: false, problems: [{ position: positionIn(text, deep.offset), message: deep.message }] }
  let doc: Document.Parsed
  try {
    // merge: docker-compose users write `<<: *defaults`; uniqueKeys: a duplicate key is an error;
    // prettyErrors off: its excerpts build a regular expression that runs V8 out of memory on
    // deeply nested input (a fatal crash, not an exception)
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true })
  } catch (error) {
    return { ok: false, problems: [{ position: { line: 1, col: 1 }, message: cannotParse(error) }] }
  }
  if (doc.errors.length > 0) return { ok: false, problems: syntaxProblems(doc, text, lineCounter) }
  const source = new YamlSource(doc, lineCounter, text)
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), source }
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        ok: false,
        problems: [{
          position: source.firstAlias() ?? { line: 1, col: 1 },
          message: `too many aliases: expanding them would need more than ${MAX_ALIAS_COUNT} copies (refused as a possible alias bomb)`,
        }],
      }
    }
    return { ok: false, problems: [{ position: { line: 1, col: 1 }, message: cannotParse(error) }] }
  }
}

function positionIn(text: string, offset: number): Position {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++
  return { line, col: offset - lineStart + 1 }
}

function cannotParse(error: unknown): string {
  if (error instanceof RangeError) return 'the YAML is nested too deeply to read'
  const message = error instanceof Error ? error.message : String(error)
  return `cannot read the YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`
}

/** one problem per line: the errors after the first on a line are mostly its echoes */
function syntaxProblems(doc: Document.Parsed, text: string, lineCounter: LineCounter): { position: Position; message: string }[] {
  const lines = new Set<number>()
  const problems: { position: Position; message: string }[] = []
  for (const error of doc.errors) {
    const position = lineCounter.linePos(error.pos[0])
    if (lines.has(position.line)) continue
    lines.add(position.line)
    const lineStart = lineCounter.lineStarts[position.line - 1] ?? 0
    const indent = /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))?.[0] ?? ''
    if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
      const opened = unclosedQuoteAt(text)
      if (opened !== undefined) {
        problems.push({ position: lineCounter.linePos(opened), message: 'YAML syntax error: this quote is never closed' })
        continue
      }
    }
    const message = indent.includes('\t') ? 'YAML syntax error: a tab indents this line; YAML indents with spaces only' : yamlMessage(error.code, error.message)
    problems.push({ position, message })
  }
  return problems
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each key may appear only once in a map'
  if (code === 'RESOURCE_EXHAUSTION') return 'the YAML is nested too deeply to read'
  if (code === 'MULTIPLE_DOCS') return 'app.yaml holds one YAML document, but "---" starts a second one here'
  // yaml's messages are sentences with a capital; ours are lowercase fragments after file:line:col
  const first = message.split('\n')[0] ?? message
  return `YAML syntax error: ${first.charAt(0).toLowerCase()}${first.slice(1)}`
}

/** Finds where a path of the validated value was written. */
export class YamlSource {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly text: string = '',
  ) {}

  /** where needle is written inside the value at path (a variable in a string); the value's start otherwise */
  textAt(path: Path, needle: string): Position {
    const { node, complete } = this.walk(path)
    if (complete && node?.range) {
      const found = this.text.slice(node.range[0], node.range[1]).indexOf(needle)
      if (found >= 0) return this.lineCounter.linePos(node.range[0] + found)
    }
    return this.valueAt(path)
  }

  /** true when the value at path is written without quotes, so YAML would type it (a number, true) */
  isPlain(path: Path): boolean {
    const { node, complete } = this.walk(path)
    return complete && isScalar(node) && node.type === 'PLAIN'
  }

  /** the position of the value at path, or of the nearest enclosing node that exists */
  valueAt(path: Path): Position {
    return this.positionOf(this.walk(path).node) ?? this.start()
  }

  /** the position of the key that holds path (for unknown fields); the value's when it has no key */
  keyAt(path: Path): Position {
    const { node, key, complete } = this.walk(path)
    return this.positionOf(complete && key ? key : node) ?? this.start()
  }

  /**
   * The text of the scalar at path as written in the file, for a value YAML read as a number
   * or a boolean: an environment variable takes `123456789012345678901234567890` or `0x1F` as
   * written, not as the float or number it would be read as. Undefined for anything else.
   */
  scalarTextAt(path: Path): string | undefined {
    const { node, complete } = this.walk(path)
    const scalar = this.resolve(node)
    if (!complete || !isScalar(scalar) || scalar.value === null || typeof scalar.value === 'string') return undefined
    return scalar.source
  }

  firstAlias(): Position | undefined {
    let found: Position | undefined
    visit(this.doc, {
      Alias: (_key, alias) => {
        found = this.positionOf(alias)
        return visit.BREAK
      },
    })
    return found
  }

  start(): Position {
    return this.positionOf(this.doc.contents) ?? { line: 1, col: 1 }
  }

  private positionOf(node: unknown): Position | undefined {
    if (!isNodeLike(node) || !node.range) return undefined
    return this.lineCounter.linePos(node.range[0])
  }

  private walk(path: Path): { node: Node | undefined; key?: Node; complete: boolean } {
    let node = this.resolve(this.doc.contents ?? undefined)
    let key: Node | undefined
    for (const [i, segment] of path.entries()) {
      let value: unknown
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
        if (!pair) return { node, key, complete: false }
        key = isNodeLike(pair.key) ? pair.key : undefined
        value = pair.value
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        key = undefined
        value = node.items[segment]
      } else {
        return { node, key, complete: false }
      }
      // `port:` with nothing after it: point at the key, there is no value to point at
      if (!isNodeLike(value) || isEmptyScalar(value)) return { node: key ?? node, key, complete: i === path.length - 1 }
      // an alias at the end of the path is pointed at where it is used; one on the way is
      // followed to its anchor, whose contents the rest of the path is about
      node = i === path.length - 1 ? value : this.resolve(value)
    }
    return { node, key, complete: true }
  }

  private resolve(node: Node | undefined): Node | undefined {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? node
    return node
  }
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value)
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1])
}
