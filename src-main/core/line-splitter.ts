// Turns a byte stream into lines without unbounded buffering: a line longer than maxLength
// is cut and flagged, never held whole. Used for process pipes and container log streams.
import { StringDecoder } from 'node:string_decoder'

export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024
export const CUT_MARKER = ' …[line cut]'

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private cutting = false

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly maxLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl === -1) break
      this.take(text.slice(start, nl), true)
      start = nl + 1
    }
    if (start < text.length) this.take(text.slice(start), false)
  }

  /** the stream ended: emit what is left as a last line */
  end(): void {
    const rest = this.decoder.end()
    if (rest) this.take(rest, false)
    if (this.pending.length > 0 && !this.cutting) this.emit(this.pending)
    this.pending = ''
    this.cutting = false
  }

  private take(piece: string, complete: boolean): void {
    if (this.cutting) {
      // the rest of a line already cut: drop it up to the newline
      if (complete) this.cutting = false
      return
    }
    const line = this.pending + piece
    if (line.length > this.maxLength) {
      this.emit(line.slice(0, this.maxLength) + CUT_MARKER)
      this.pending = ''
      this.cutting = !complete
      return
    }
    if (complete) {
      this.pending = ''
      this.emit(line)
    } else {
      this.pending = line
    }
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
}
