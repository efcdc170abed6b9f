// Refuses YAML that nests too deeply before yaml composes it. Composing recurses once per
// level: thousands of levels exhaust the stack, and V8 may then die compiling a regular
// expression (a fatal out-of-memory, not an exception). yaml's own token parser slows down
// quadratically on such input, so this looks at the lexer's tokens and the line prefixes only.
import { Lexer } from 'yaml'

/** app.yaml needs two or three levels of [ ] or { }; yaml composes hundreds safely */
export const MAX_FLOW_NESTING = 64
/** a block level takes at least one column of indentation (or a "- "); 200 columns is far past any real file */
export const MAX_BLOCK_INDENT = 200

/** yaml's lexer marks modes with these; they take no room in the source */
const CONTROL = new Set(['\x02', '\x18', '\x1f'])

export interface TooDeep {
  /** 0-based offset into the text */
  offset: number
  message: string
}

export function tooDeep(text: string): TooDeep | undefined {
  return tooDeepFlow(text) ?? tooDeepBlock(text)
}

function tooDeepFlow(text: string): TooDeep | undefined {
  // too few brackets to nest that deep: spare the lexer pass, the common case
  let openers = 0
  for (let i = 0; i < text.length && openers <= MAX_FLOW_NESTING; i++) if (text[i] === '[' || text[i] === '{') openers++
  if (openers <= MAX_FLOW_NESTING) return undefined
  let depth = 0
  let offset = 0
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_FLOW_NESTING) return { offset, message: `the YAML nests more than ${MAX_FLOW_NESTING} levels of [ ] or { }; refused` }
    } else if (token === ']' || token === '}') {
      depth = Math.max(0, depth - 1)
    }
    if (!CONTROL.has(token)) offset += token.length
  }
  return undefined
}

function tooDeepBlock(text: string): TooDeep | undefined {
  const prefix = /^(?: |[-?:](?= |$))*/
  let lineStart = 0
  while (lineStart < text.length) {
    const end = text.indexOf('\n', lineStart)
    const lineEnd = end < 0 ? text.length : end
    const indent = prefix.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + MAX_BLOCK_INDENT + 2)))?.[0].length ?? 0
    if (indent > MAX_BLOCK_INDENT) return { offset: lineStart, message: `the YAML is indented more than ${MAX_BLOCK_INDENT} columns deep; refused` }
    lineStart = lineEnd + 1
  }
  return undefined
}
