import { describe, expect, it } from 'vitest'
import { FrameDemuxer } from '../../../src-main/core/docker/frame-demuxer'

function frame(type: number, payload: string): Buffer {
  const header = Buffer.alloc(8)
  header[0] = type
  header.writeUInt32BE(Buffer.byteLength(payload), 4)
  return Buffer.concat([header, Buffer.from(payload)])
}

function collect(): { demuxer: FrameDemuxer; out: Buffer[]; err: Buffer[]; text(): { out: string; err: string } } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const demuxer = new FrameDemuxer((b) => out.push(Buffer.from(b)), (b) => err.push(Buffer.from(b)))
  return { demuxer, out, err, text: () => ({ out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }) }
}

describe('FrameDemuxer', () => {
  const stream = Buffer.concat([
    frame(1, 'first line\nsecond '),
    frame(2, 'an error\n'),
    frame(1, ''),
    frame(1, 'line\n'),
    frame(2, 'x'.repeat(70_000) + '\n'),
    frame(1, 'last\n'),
  ])
  const expected = { out: 'first line\nsecond line\nlast\n', err: `an error\n${'x'.repeat(70_000)}\n` }

  it('splits frames back into stdout and stderr, several frames in one chunk', () => {
    const c = collect()
    c.demuxer.write(stream)
    expect(c.text()).toEqual(expected)
  })

  it('reassembles frames whose header or payload is cut between chunks, wherever the cut falls', () => {
    for (let cut = 1; cut < 120; cut++) {
      const c = collect()
      for (let at = 0; at < stream.length; at += cut) c.demuxer.write(stream.subarray(at, at + cut))
      expect(c.text(), `chunks of ${cut} bytes`).toEqual(expected)
    }
  })

  it('hands payloads on as views of the chunk, not copies', () => {
    const seen: Buffer[] = []
    const demuxer = new FrameDemuxer((b) => seen.push(b), () => undefined)
    const chunk = frame(1, 'a line\n')
    demuxer.write(chunk)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.buffer).toBe(chunk.buffer)
  })

  it('passes a stream that is not multiplexed (a TTY) through to stdout as it is', () => {
    const c = collect()
    c.demuxer.write(Buffer.from('plain output, no frames\n'))
    c.demuxer.write(frame(2, 'looks like a frame, but the stream is raw by now\n'))
    expect(c.text().err).toBe('')
    expect(c.text().out).toBe(`plain output, no frames\n${frame(2, 'looks like a frame, but the stream is raw by now\n').toString()}`)
  })
})
