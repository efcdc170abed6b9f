// The console of `micronetes run`: lines are gathered and written together, once per turn of
// the event loop or every BATCH_BYTES, because a write per line cost a system call per line
// and was the largest cost of a replica that floods its log. A reader slower than the flood
// (a terminal, a pipe into `less`) makes lines be skipped and counted, never queued without end.
import { fstatSync, writeSync, type Stats } from 'node:fs'
import type { Writable } from 'node:stream'
import { isatty } from 'node:tty'

/** gathered text written at once when it reaches this size, before the turn ends */
const BATCH_BYTES = 64 * 1024
/** console output waiting for a slow terminal or pipe, beyond which lines are skipped and counted */
export const CONSOLE_BACKLOG_BYTES = 4 * 1024 * 1024

export class ConsoleOutput {
  /** text not yet written, newlines included, written one after another (never concatenated: a rope would be flattened, a copy) */
  private pending: string[] = []
  /** per pending text: true when it holds bytes one per character (latin1), as a replica's output does */
  private pendingBytes: boolean[] = []
  private pendingChars = 0
  private scheduled: NodeJS.Immediate | undefined
  private skipped = 0

  constructor(
    private readonly stream: Sink,
    private readonly backlogBytes = CONSOLE_BACKLOG_BYTES,
  ) {}

  /** one line, without its newline */
  line(text: string): void {
    this.text(text, '\n', 1, false)
  }

  /**
   * `count` lines as the two texts together hold them, newlines included (a prefix and the
   * rest, say). With `bytes`, the second is raw output decoded as latin1 (one character per
   * byte): written back the same way it is byte for byte what the replica wrote, UTF-8 or not.
   */
  text(first: string, second: string, count: number, bytes: boolean): void {
    // pending counts UTF-16 units, near enough to bytes for a bound
    if (this.stream.writableLength + this.pendingChars > this.backlogBytes) {
      this.skipped += count
      return
    }
    if (this.skipped > 0) {
      this.pending.push(`… ${this.skipped} console line${this.skipped === 1 ? '' : 's'} not shown (the console could not keep up; every replica's log keeps them)\n`)
      this.pendingBytes.push(false)
      this.skipped = 0
    }
    this.pending.push(first, second)
    this.pendingBytes.push(false, bytes)
    this.pendingChars += first.length + second.length
    if (this.pendingChars >= BATCH_BYTES) this.flush()
    else this.scheduled ??= setImmediate(() => this.flush())
  }

  /** writes what is gathered now (also before the process exits) */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.pending.length === 0) return
    const texts = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = []
    this.pendingChars = 0
    if (this.stream.writeAll) {
      this.stream.writeAll(texts, bytes)
      return
    }
    for (let i = 0; i < texts.length; i++) if (bytes[i]) texts[i] = Buffer.from(texts[i]!, 'latin1').toString('utf8')
    this.stream.write(texts.join(''))
  }
}

type Sink = Pick<Writable, 'write' | 'writableLength'> & {
  /** the texts one after another, without joining them first; bytes[i]: texts[i] is latin1 */
  writeAll?(texts: readonly string[], bytes: readonly boolean[]): void
}

/**
 * Where the console goes. Node writes to a file (or /dev/null) synchronously anyway, but makes
 * a new Buffer for every write; writing from one reused Buffer saved about a tenth of a flood's
 * cost. Terminals and pipes keep process.stdout, whose queue the skip-and-count watches.
 */
export function stdoutSink(): Sink {
  let stat: Stats
  try {
    stat = fstatSync(1)
  } catch {
    return process.stdout
  }
  if (!stat.isFile() && !(stat.isCharacterDevice() && !isatty(1))) return process.stdout
  let buffer = Buffer.allocUnsafe(0)
  const reserve = (chars: number): void => {
    // at most 3 bytes of UTF-8 per UTF-16 unit: no need to measure the text first
    if (chars * 3 > buffer.length) buffer = Buffer.allocUnsafe(Math.max(chars * 3, BATCH_BYTES * 4))
  }
  const send = (length: number): void => {
    try {
      for (let done = 0; done < length; ) done += writeSync(1, buffer, done, length - done)
    } catch {
      // a full disk or a closed descriptor: the console is best effort, like process.stdout's
    }
  }
  return {
    writableLength: 0,
    write(text: string): boolean {
      reserve(text.length)
      send(buffer.write(text))
      return true
    },
    writeAll(texts: readonly string[], bytes: readonly boolean[]): void {
      let chars = 0
      for (const text of texts) chars += text.length
      reserve(chars)
      let at = 0
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i]!
        if (bytes[i]) at += buffer.write(text, at, 'latin1')
        else if (text.length === 1 && text.charCodeAt(0) < 128) buffer[at++] = text.charCodeAt(0)
        else at += buffer.write(text, at)
      }
      send(at)
    },
  } as Sink
}
