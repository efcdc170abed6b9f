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
  /** lines not yet written, joined at the write: one copy instead of a rope flattened later */
  private pending: string[] = []
  private pendingChars = 0
  private scheduled: NodeJS.Immediate | undefined
  private skipped = 0

  constructor(
    private readonly stream: Sink,
    private readonly backlogBytes = CONSOLE_BACKLOG_BYTES,
  ) {}

  /** one line, without its newline */
  line(text: string): void {
    this.lines(text, 1)
  }

  /** `count` lines joined by '\n', without the last newline */
  lines(text: string, count: number): void {
    // pending counts UTF-16 units, near enough to bytes for a bound
    if (this.stream.writableLength + this.pendingChars > this.backlogBytes) {
      this.skipped += count
      return
    }
    if (this.skipped > 0) {
      this.pending.push(`… ${this.skipped} console line${this.skipped === 1 ? '' : 's'} not shown (the console could not keep up; every replica's log keeps them)`)
      this.skipped = 0
    }
    this.pending.push(text)
    this.pendingChars += text.length + 1
    if (this.pendingChars >= BATCH_BYTES) this.flush()
    else this.scheduled ??= setImmediate(() => this.flush())
  }

  /** writes what is gathered now (also before the process exits) */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.pending.length === 0) return
    const lines = this.pending
    this.pending = []
    this.pendingChars = 0
    lines.push('')
    this.stream.write(lines.join('\n'))
  }
}

type Sink = Pick<Writable, 'write' | 'writableLength'>

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
  return {
    writableLength: 0,
    write(text: string): boolean {
      // at most 3 bytes of UTF-8 per UTF-16 unit: no need to measure the text first
      if (text.length * 3 > buffer.length) buffer = Buffer.allocUnsafe(Math.max(text.length * 3, BATCH_BYTES * 4))
      const length = buffer.write(text)
      try {
        for (let done = 0; done < length; ) done += writeSync(1, buffer, done, length - done)
      } catch {
        // a full disk or a closed descriptor: the console is best effort, like process.stdout's
      }
      return true
    },
  } as Sink
}
