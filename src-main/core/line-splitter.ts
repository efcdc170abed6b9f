// Turns a byte stream into lines without unbounded buffering: a line longer than maxLength
// is cut and flagged, never held whole. Used for process pipes and container log streams.
//
// The splitter hands on whole batches of lines (the text of every complete line a read
// brought, plus where each line ends) rather than one string per line: a replica that floods
// its log delivers hundreds of lines per read, and a string and a call per line were most of
// what ingest cost. Lines are cut out of a batch only when someone reads them.
import { StringDecoder } from 'node:string_decoder'

export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024
export const CUT_MARKER = ' …[line cut]'

/**
 * Complete lines: `text` holds each line followed by '\n' (no '\r' before it, none longer
 * than the splitter's limit) and `ends[i]` is the index of line i's '\n'.
 */
export interface LineBatch {
  readonly text: string
  readonly ends: ArrayLike<number>
}

/** the text of line i of a batch, without its newline */
export function lineOf(batch: LineBatch, i: number): string {
  return batch.text.slice(i === 0 ? 0 : batch.ends[i - 1]! + 1, batch.ends[i])
}

/** a batch of one line */
export function singleLine(text: string): LineBatch {
  return { text: text + '\n', ends: [text.length] }
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

export class BatchSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private cutting = false
  /** where lines end in the text being split; copied out once per batch */
  private scratch = new Int32Array(1024)

  constructor(
    private readonly onBatch: (batch: LineBatch) => void,
    private readonly maxLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  write(chunk: Buffer | string): void {
    let decoded = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    if (decoded.length === 0) return
    if (this.pending.length > 0 && !this.cutting) {
      // the line begun in the last read is finished on its own, so the rest of this read is
      // split where it lies rather than copied behind that line's start
      const nl = decoded.indexOf('\n')
      if (nl !== -1 && this.pending.length + nl <= this.maxLength) {
        const line = this.pending + decoded.slice(0, nl)
        this.pending = ''
        this.onBatch(singleLine(withoutCr(line)))
        decoded = decoded.slice(nl + 1)
        if (decoded.length === 0) return
      }
    }
    const text = this.pending.length > 0 ? this.pending + decoded : decoded
    // the usual case runs on the text as it came; CRs, long lines and the rest of a cut
    // line take the per-line way
    if (this.cutting || text.indexOf('\r') !== -1 || !this.splitPlain(text)) this.splitCareful(text)
  }

  /** the stream ended: what is left is a last line */
  end(): void {
    const rest = this.decoder.end()
    if (rest) this.write(rest)
    const last = this.pending
    this.pending = ''
    if (last.length > 0 && !this.cutting) this.onBatch(singleLine(withoutCr(last)))
    this.cutting = false
  }

  /** false, having changed nothing, when a line is too long */
  private splitPlain(text: string): boolean {
    const max = this.maxLength
    let ends = this.scratch
    let count = 0
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      if (nl - start > max) return false
      if (count === ends.length) {
        const larger = new Int32Array(ends.length * 2)
        larger.set(ends)
        this.scratch = ends = larger
      }
      ends[count++] = nl
      start = nl + 1
    }
    if (text.length - start > max) return false
    this.pending = start < text.length ? text.slice(start) : ''
    if (count > 0) this.onBatch({ text: start === text.length ? text : text.slice(0, start), ends: ends.slice(0, count) })
    return true
  }

  private splitCareful(text: string): void {
    const lines: string[] = []
    this.pending = ''
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      this.take(lines, text.slice(start, nl), true)
      start = nl + 1
    }
    if (start < text.length) this.take(lines, text.slice(start), false)
    if (lines.length === 0) return
    const ends = new Int32Array(lines.length)
    let at = -1
    for (let i = 0; i < lines.length; i++) ends[i] = at += lines[i]!.length + 1
    lines.push('')
    this.onBatch({ text: lines.join('\n'), ends })
  }

  private take(lines: string[], line: string, complete: boolean): void {
    if (this.cutting) {
      // the rest of a line already cut: dropped up to the newline
      if (complete) this.cutting = false
      return
    }
    if (line.length > this.maxLength) {
      lines.push(line.slice(0, this.maxLength) + CUT_MARKER)
      this.cutting = !complete
      return
    }
    if (complete) lines.push(withoutCr(line))
    else this.pending = line
  }
}

/** the same framing, one call per line, for readers that want lines one by one */
export class LineSplitter {
  private readonly batches: BatchSplitter

  constructor(onLine: (text: string) => void, maxLength = DEFAULT_MAX_LINE_LENGTH) {
    this.batches = new BatchSplitter((batch) => {
      for (let i = 0; i < batch.ends.length; i++) onLine(lineOf(batch, i))
    }, maxLength)
  }

  write(chunk: Buffer | string): void {
    this.batches.write(chunk)
  }

  end(): void {
    this.batches.end()
  }
}
