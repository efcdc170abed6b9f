import { describe, expect, it } from 'vitest'
import { BatchSplitter, CUT_MARKER, linesOf } from '../../src-main/core/line-splitter'

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const lines: string[] = []
  const s = new BatchSplitter((batch) => lines.push(...linesOf(batch)), max)
  for (const c of chunks) s.write(c)
  s.end()
  return lines
}

describe('line framing', () => {
  it('joins lines across chunks and strips CR', () => {
    expect(split(['a\r\nb', 'c\n', 'd'])).toEqual(['a', 'bc', 'd'])
  })

  it('keeps multi-byte characters split across chunks', () => {
    const bytes = Buffer.from('é€\n')
    expect(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(['é€'])
  })

  it('cuts a long line and drops its rest up to the newline', () => {
    const lines = split(['x'.repeat(10), 'y'.repeat(10), 'z\nnext\n'], 8)
    expect(lines).toEqual(['x'.repeat(8) + CUT_MARKER, 'next'])
  })
})
