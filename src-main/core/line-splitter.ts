// Turns a byte stream into lines without unbounded buffering: a line longer than maxLength
// bytes is cut and flagged, never held whole. Used for process pipes and container log streams.
//
// The splitter hands on whole batches of lines (the bytes of every complete line a read
// brought, plus where each line ends) rather than one string per line: a replica that floods
// its log delivers hundreds of lines per read, and a string and a call per line were most of
// what ingest cost. A line is decoded only when someone reads it. Batches keep the bytes as
// read: a Buffer's bytes live outside the JavaScript heap, so keeping recent lines costs the
// garbage collector nothing to copy, which keeping their strings did.
import { isAscii } from 'node:buffer'

export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024
export const CUT_MARKER = ' …[line cut]'
const CUT_MARKER_BYTES = Buffer.from(CUT_MARKER)
const NEWLINE = 10
const CR = 13

/**
 * Complete lines: `bytes` holds each line's UTF-8 followed by '\n' (no '\r' before it, none
 * longer than the splitter's limit) and `ends[i]` is the offset of line i's '\n'.
 */
export interface LineBatch {
  readonly bytes: Buffer
  readonly ends: ArrayLike<number>
}

/** the text of line i of a batch, without its newline */
export function lineOf(batch: LineBatch, i: number): string {
  return batch.bytes.toString('utf8', i === 0 ? 0 : batch.ends[i - 1]! + 1, batch.ends[i])
}

/**
 * The texts of every line of a batch. A batch of ASCII (most logs) is decoded once and sliced,
 * its byte offsets being character offsets; decoding each line apart cost a native call per line.
 */
export function linesOf(batch: LineBatch): string[] {
  const { bytes, ends } = batch
  const out = new Array<string>(ends.length)
  if (isAscii(bytes)) {
    const text = bytes.toString('latin1')
    let start = 0
    for (let i = 0; i < ends.length; i++) {
      out[i] = text.slice(start, ends[i])
      start = ends[i]! + 1
    }
  } else {
    for (let i = 0; i < ends.length; i++) out[i] = lineOf(batch, i)
  }
  return out
}

/** a batch of one line */
export function singleLine(text: string): LineBatch {
  const bytes = Buffer.from(text + '\n')
  return { bytes, ends: [bytes.length - 1] }
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line
}

/** the first `max` bytes or fewer, never ending inside a UTF-8 sequence */
function cutAt(line: Buffer, max: number): Buffer {
  let end = max
  while (end > 0 && (line[end]! & 0xc0) === 0x80) end--
  return Buffer.concat([line.subarray(0, end), CUT_MARKER_BYTES])
}

/** lines (without newlines) as one batch */
function batchOf(lines: Buffer[]): LineBatch {
  const ends = new Int32Array(lines.length)
  let size = 0
  for (let i = 0; i < lines.length; i++) ends[i] = (size += lines[i]!.length + 1) - 1
  const bytes = Buffer.allocUnsafe(size)
  let at = 0
  for (const line of lines) {
    at += line.copy(bytes, at)
    bytes[at++] = NEWLINE
  }
  return { bytes, ends }
}

export class BatchSplitter {
  /** the start of a line not yet complete */
  private pending: Buffer | undefined
  private cutting = false
  /** where lines end in the read being split; copied out once per batch */
  private scratch = new Int32Array(1024)

  constructor(
    private readonly onBatch: (batch: LineBatch) => void,
    private readonly maxLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  write(chunk: Buffer | string): void {
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    if (bytes.length === 0) return
    const pending = this.pending
    if (pending && !this.cutting) {
      // the line begun in an earlier read is finished on its own, so the rest of this read
      // is split where it lies rather than copied behind that line's start
      const nl = bytes.indexOf(NEWLINE)
      if (nl === -1 || pending.length + nl > this.maxLength) {
        this.splitCareful(Buffer.concat([pending, bytes]))
        return
      }
      this.pending = undefined
      this.onBatch(batchOf([withoutCr(Buffer.concat([pending, bytes.subarray(0, nl)]))]))
      bytes = bytes.subarray(nl + 1)
      if (bytes.length === 0) return
    }
    if (this.cutting || !this.splitPlain(bytes)) this.splitCareful(bytes)
  }

  /** the stream ended: what is left is a last line */
  end(): void {
    const last = this.pending
    this.pending = undefined
    if (last && !this.cutting) this.onBatch(batchOf([withoutCr(last)]))
    this.cutting = false
  }

  /** false, having changed nothing, when a line is too long or ends in CR */
  private splitPlain(bytes: Buffer): boolean {
    const max = this.maxLength
    let ends = this.scratch
    let count = 0
    let start = 0
    for (;;) {
      const nl = bytes.indexOf(NEWLINE, start)
      if (nl === -1) break
      if (nl - start > max || (nl > start && bytes[nl - 1] === CR)) return false
      if (count === ends.length) {
        const larger = new Int32Array(ends.length * 2)
        larger.set(ends)
        this.scratch = ends = larger
      }
      ends[count++] = nl
      start = nl + 1
    }
    if (bytes.length - start > max) return false
    // a copy of the few bytes of a line's start, rather than keeping the whole read for them
    this.pending = start < bytes.length ? Buffer.from(bytes.subarray(start)) : undefined
    if (count > 0) this.onBatch({ bytes: start === bytes.length ? bytes : bytes.subarray(0, start), ends: ends.slice(0, count) })
    return true
  }

  private splitCareful(bytes: Buffer): void {
    const lines: Buffer[] = []
    this.pending = undefined
    let start = 0
    for (;;) {
      const nl = bytes.indexOf(NEWLINE, start)
      if (nl === -1) break
      this.take(lines, bytes.subarray(start, nl), true)
      start = nl + 1
    }
    if (start < bytes.length) this.take(lines, bytes.subarray(start), false)
    if (lines.length > 0) this.onBatch(batchOf(lines))
  }

  private take(lines: Buffer[], line: Buffer, complete: boolean): void {
    if (this.cutting) {
      // the rest of a line already cut: dropped up to the newline
      if (complete) this.cutting = false
      return
    }
    if (line.length > this.maxLength) {
      lines.push(cutAt(line, this.maxLength))
      this.cutting = !complete
      return
    }
    if (complete) lines.push(withoutCr(line))
    else this.pending = Buffer.from(line)
  }
}

/** what a runner writes a replica's output into: a read's bytes, then the end of the stream */
export interface OutputSplitter {
  write(chunk: Buffer | string): void
  end(): void
}

/** one output stream's splitter, its batches told with the stream they came from */
export function outputSplitter(stream: 'stdout' | 'stderr', onLines: (stream: 'stdout' | 'stderr', batch: LineBatch) => void): OutputSplitter {
  return new BatchSplitter((batch) => onLines(stream, batch))
}
