import { describe, expect, it } from 'vitest'
import { ConsoleOutput } from '../../src-main/cli/console-output'

function fakeStream() {
  const writes: string[] = []
  return { writes, writableLength: 0, write(text: string) { writes.push(text); return true } }
}

describe('ConsoleOutput', () => {
  it('writes the lines of one turn together, in order', async () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream as never)
    output.line('a')
    output.line('b')
    expect(stream.writes).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(stream.writes).toEqual(['a\nb\n'])
    output.line('c')
    output.flush()
    expect(stream.writes).toEqual(['a\nb\n', 'c\n'])
  })

  it('skips and counts lines while the reader is behind, then says how many', () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream as never, 10)
    stream.writableLength = 11
    output.line('lost 1')
    output.line('lost 2')
    stream.writableLength = 0
    output.line('back')
    output.flush()
    expect(stream.writes.join('')).toMatch(/^… 2 console lines not shown .*\nback\n$/)
  })
})
