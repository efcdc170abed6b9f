// app.yaml parsed twice over: a plain value to validate, and the YAML tree kept beside it so
// every problem can point at the line and column of the node it is about.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml'
import type { Document, Node } from 'yaml'

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

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter()
  let doc: Document.Parsed
  try {
    // merge: docker-compose users write `<<: *defaults`; uniqueKeys: a duplicate key is an error
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true })
  } catch (error) {
    return { ok: false, problems: [{ position: { line: 1, col: 1 }, message: cannotParse(error) }] }
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ position: lineCounter.linePos(e.pos[0]), message: yamlMessage(e.code, e.message) })),
    }
  }
  const source = new YamlSource(doc, lineCounter)
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

function cannotParse(error: unknown): string {
  if (error instanceof RangeError) return 'the YAML is nested too deeply to read'
  return `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each key may appear only once in a map'
  // yaml's messages are sentences with a capital; ours are lowercase fragments after file:line:col
  const first = message.split('\n')[0] ?? message
  return `YAML syntax error: ${first.charAt(0).toLowerCase()}${first.slice(1)}`
}

/** Finds where a path of the validated value was written. */
export class YamlSource {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /** the position of the value at path, or of the nearest enclosing node that exists */
  valueAt(path: Path): Position {
    return this.positionOf(this.walk(path).node) ?? this.start()
  }

  /** the position of the key that holds path (for unknown fields); the value's when it has no key */
  keyAt(path: Path): Position {
    const { node, key, complete } = this.walk(path)
    return this.positionOf(complete && key ? key : node) ?? this.start()
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
      node = this.resolve(value)
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
