// yaml reports a quote that is never closed at the end of the file, where the scalar ends;
// the place to fix is where it opens. This finds that quote in yaml's token tree.
import { Parser } from 'yaml'

/** offset of the first quoted scalar without its closing quote, or undefined */
export function unclosedQuoteAt(text: string): number | undefined {
  const pending: unknown[] = [...new Parser().parse(text)]
  let first: number | undefined
  while (pending.length > 0) {
    const token = pending.pop()
    if (token === null || typeof token !== 'object') continue
    const t = token as { type?: string; offset?: number; source?: string; value?: unknown; key?: unknown; items?: { key?: unknown; value?: unknown }[] }
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && t.source !== undefined && t.offset !== undefined) {
      if (!isClosed(t.source) && (first === undefined || t.offset < first)) first = t.offset
    }
    pending.push(t.value, t.key, ...(t.items ?? []).flatMap((item) => [item.key, item.value]))
  }
  return first
}

function isClosed(source: string): boolean {
  const quote = source[0]
  if (source.length < 2 || !source.endsWith(quote!)) return false
  if (quote === "'") return true
  // "…\" ends in an escaped quote, not a closing one: count the backslashes before it
  let backslashes = 0
  for (let i = source.length - 2; i > 0 && source[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 0
}
