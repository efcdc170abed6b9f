import { describe, expect, it } from 'vitest'
import { ConsoleOutput } from '../../src-main/cli/console-output'

function fakeStream() {
  const writes: string[] = []
  return { writes, writableLength: 0, write(bytes: Buffer) { writes.push(bytes.toString()) } }
}

describe('ConsoleOutput', () => {
  it('writes the lines of one turn together, in order', async () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream)
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
    const output = new ConsoleOutput(stream, 10)
    stream.writableLength = 11
    output.line('lost 1')
    output.line('lost 2')
    stream.writableLength = 0
    output.line('back')
    output.flush()
    expect(stream.writes.join('')).toMatch(/^… 2 console lines not shown .*\nback\n$/)
  })

  it('writes a status line to keep while the reader is behind, and says at close how many others it skipped', async () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream, 10)
    stream.writableLength = 11
    output.line('a replica line')
    output.line('Shutting down', true)
    output.line('another replica line')
    output.line('Stopped', true)
    output.line('one after the end')
    await output.close(10)
    expect(stream.writes.join('')).toMatch(/^… 1 console line not shown .*\nShutting down\n… 1 console line not shown .*\nStopped\n… 1 console line not shown .*\n$/)
  })

  it('at close, has a reader far behind skip what it has not begun, but for the newest 64 KiB', async () => {
    const kept: number[] = []
    const sink = { writableLength: 0, write() {}, skipQueued: (keepBytes: number) => { kept.push(keepBytes) } }
    const output = new ConsoleOutput(sink)
    await output.close(10)
    expect(kept).toEqual([])
    sink.writableLength = 3 * 1024 * 1024
    await output.close(10)
    expect(kept).toEqual([64 * 1024])
  })

  it('puts the prefix before every line of a batch, copying the bytes before the call returns', () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream)
    const bytes = Buffer.from('one\ntwo é\n\nlast\n')
    output.lines(Buffer.from('[p]: '), bytes, [3, 10, 11, 16])
    // the caller reuses its buffer for the next read
    bytes.fill(0x78)
    output.line('after')
    output.flush()
    expect(stream.writes.join('')).toBe('[p]: one\n[p]: two é\n[p]: \n[p]: last\nafter\n')
  })

  it('writes batches larger than its buffer whole, in order, a batch at a time', () => {
    const stream = fakeStream()
    const output = new ConsoleOutput(stream)
    const line = 'x'.repeat(99)
    const lines = Array.from({ length: 3000 }, (_, i) => `${i} ${line}`)
    const bytes = Buffer.from(lines.map((l) => l + '\n').join(''))
    const ends: number[] = []
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) ends.push(at)
    output.lines(Buffer.from('[web_1]: '), bytes, ends)
    output.lines(Buffer.from('[web_2]: '), bytes, ends.slice(0, 2))
    output.flush()
    const written = stream.writes.join('').split('\n')
    expect(written.pop()).toBe('')
    expect(written).toEqual([...lines.map((l) => `[web_1]: ${l}`), `[web_2]: ${lines[0]}`, `[web_2]: ${lines[1]}`])
    // over 64 KiB gathered is written before the turn ends
    expect(stream.writes.length).toBeGreaterThanOrEqual(2)
  })
})
