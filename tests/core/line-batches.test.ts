// The splitter's batches: what a read of a flooding replica becomes before anyone reads a line.
import { describe, expect, it } from 'vitest'
import { BatchSplitter, CUT_MARKER, lineOf, linesOf, type LineBatch } from '../../src-main/core/line-splitter'

function batches(chunks: (string | Buffer)[], max?: number): string[][] {
  const out: LineBatch[] = []
  const s = new BatchSplitter((b) => out.push(b), max)
  for (const c of chunks) s.write(c)
  s.end()
  return out.map((b) => Array.from({ length: b.ends.length }, (_, i) => lineOf(b, i)))
}

describe('BatchSplitter', () => {
  it('hands on every complete line of a read as one batch, and the line a read finishes on its own', () => {
    expect(batches(['a\nbb\nccc\nd', 'd\ne\nf'])).toEqual([['a', 'bb', 'ccc'], ['dd'], ['e'], ['f']])
  })

  it('keeps the bytes of the lines with a newline after each, and where each line ends', () => {
    const out: LineBatch[] = []
    const s = new BatchSplitter((b) => out.push(b))
    s.write(Buffer.from('one\ntwo\n'))
    expect(out).toHaveLength(1)
    expect(out[0]!.bytes.toString()).toBe('one\ntwo\n')
    expect(Array.from(out[0]!.ends)).toEqual([3, 7])
  })

  it('strips the CR of CRLF lines, also when the CR and the LF come in different reads', () => {
    expect(batches(['a\r\nb\r\nc\r', '\nd\r\n']).flat()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('cuts a long line among short ones in the same read, and drops its rest across reads', () => {
    const lines = batches([`ok\n${'x'.repeat(20)}`, `${'y'.repeat(20)}\nafter\n`], 8).flat()
    expect(lines).toEqual(['ok', 'x'.repeat(8) + CUT_MARKER, 'after'])
  })

  it('never cuts inside a multi-byte character', () => {
    // 'é' is 2 bytes: a cut at 3 bytes would split the second one
    expect(batches(['éé\n'], 3).flat()).toEqual(['é' + CUT_MARKER])
  })

  it('keeps UTF-8 split across reads whole', () => {
    const bytes = Buffer.from('a€\nb😀c\n')
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))
    expect(batches(chunks).flat()).toEqual(['a€', 'b😀c'])
  })

  it('gives the last line without a newline at the end, and nothing for an empty stream', () => {
    expect(batches(['a\nlast'])).toEqual([['a'], ['last']])
    expect(batches([])).toEqual([])
  })

  it('splits a read of thousands of lines into one batch', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n'
    const got = batches([Buffer.from(text)])
    expect(got).toHaveLength(1)
    expect(got[0]).toHaveLength(5000)
    expect(got[0]![4999]).toBe('line 4999')
  })
})

describe('linesOf', () => {
  it('gives the same texts for ASCII batches (decoded once) and for UTF-8 ones (line by line)', () => {
    for (const lines of [['a', '', 'bc'], ['é', '', '😀 x']]) {
      const out: LineBatch[] = []
      const s = new BatchSplitter((b) => out.push(b))
      s.write(lines.join('\n') + '\n')
      expect(linesOf(out[0]!)).toEqual(lines)
    }
  })
})
