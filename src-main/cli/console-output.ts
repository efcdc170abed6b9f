// The console of `micronetes run`: lines are gathered and written together, once per turn of
// the event loop or every BATCH_BYTES, because a write per line cost a system call per line
// and was the largest cost of a replica that floods its log. A reader slower than the flood
// (a terminal, a pipe into `less`) makes lines be skipped and counted, never queued without end.
//
// What is gathered is bytes, in one buffer reused from batch to batch: a replica's lines go in
// as it wrote them with the prefix copied before each, without being decoded to text and back
// (which made two strings of each read for the garbage collector, and cost twice the copying).
import { fstatSync, writeSync, type Stats } from 'node:fs'
import { isatty } from 'node:tty'
import { threadSink } from './console-thread'

/** gathered bytes written at once when they reach this size, before the turn ends */
const BATCH_BYTES = 64 * 1024
/** console output waiting for a slow terminal or pipe, beyond which lines are skipped and counted */
export const CONSOLE_BACKLOG_BYTES = 4 * 1024 * 1024
const NEWLINE = 10

export class ConsoleOutput {
  /** bytes not yet written: [0, staged) of this buffer */
  private buffer = Buffer.allocUnsafe(BATCH_BYTES * 2)
  private staged = 0
  private scheduled: NodeJS.Immediate | undefined
  private skipped = 0

  constructor(
    private readonly sink: Sink,
    private readonly backlogBytes = CONSOLE_BACKLOG_BYTES,
  ) {}

  /**
   * One line, without its newline. A line to `keep` (Micronetes' own status: a replica stopped,
   * "Stopped") is written even while the reader is behind; others are then skipped and counted.
   */
  line(text: string, keep = false): void {
    // the count of lines skipped so far goes before a line to keep, so it reads in order
    if (keep) this.sayHowManySkipped()
    else if (this.behind(1)) return
    this.reserve(text.length * 3 + 1)
    this.staged += this.buffer.write(text, this.staged)
    this.buffer[this.staged++] = NEWLINE
    this.gathered()
  }

  /**
   * The lines of a batch (each followed by '\n', line i ending at ends[i]) with `prefix`
   * before each, byte for byte as given. `bytes` is copied now: it may be reused after the call.
   */
  lines(prefix: Buffer, bytes: Buffer, ends: ArrayLike<number>): void {
    const count = ends.length
    if (count === 0 || this.behind(count)) return
    const used = ends[count - 1]! + 1
    const p = prefix.length
    this.reserve(used + count * p)
    const out = this.buffer
    // the lines go in behind where they will end up, then each moves forward to its place
    // after its prefix: never over a line not yet moved, since the prefixes before line i
    // take less room than the count * p bytes the copy was placed behind
    const source = this.staged + count * p
    bytes.copy(out, source, 0, used)
    let at = this.staged
    let start = 0
    for (let i = 0; i < count; i++) {
      const end = ends[i]! + 1
      out.set(prefix, at)
      at += p
      out.copyWithin(at, source + start, source + end)
      at += end - start
      start = end
    }
    this.staged = at
    this.gathered()
  }

  /**
   * Writes what is gathered, then waits up to `timeoutMs` for it to be delivered (before
   * exiting). A reader far behind (a terminal still working through a flood) has the older part
   * of what it has not taken yet skipped, so the last lines (the stop) reach it before the exit.
   */
  async close(timeoutMs: number): Promise<void> {
    this.sayHowManySkipped()
    this.flush()
    if (this.sink.writableLength > BATCH_BYTES) this.sink.skipQueued?.(BATCH_BYTES)
    await this.sink.drain?.(timeoutMs)
  }

  /** writes what is gathered now (also before the process exits) */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (this.staged === 0) return
    const length = this.staged
    this.staged = 0
    this.sink.write(this.buffer.subarray(0, length))
  }

  /** true, having counted them, when `count` lines must be skipped for a reader that is behind */
  private behind(count: number): boolean {
    if (this.isBehind()) {
      this.skipped += count
      return true
    }
    this.sayHowManySkipped()
    return false
  }

  private isBehind(): boolean {
    return this.sink.writableLength + this.staged > this.backlogBytes
  }

  private sayHowManySkipped(): void {
    if (this.skipped === 0) return
    const skipped = this.skipped
    this.skipped = 0
    this.line(`… ${skipped} console line${skipped === 1 ? '' : 's'} not shown (the console could not keep up; every replica's log keeps them)`, true)
  }

  private reserve(bytes: number): void {
    if (this.staged + bytes <= this.buffer.length) return
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.staged + bytes))
    this.buffer.copy(larger, 0, 0, this.staged)
    this.buffer = larger
  }

  private gathered(): void {
    if (this.staged >= BATCH_BYTES) this.flush()
    else this.scheduled ??= setImmediate(() => this.flush())
  }
}

export interface Sink {
  /** bytes accepted but not yet delivered (a slow terminal's queue) */
  readonly writableLength: number
  /** `bytes` is valid only during the call: a sink that writes later copies it */
  write(bytes: Buffer): void
  /** resolves once what was accepted is delivered, or after `timeoutMs` */
  drain?(timeoutMs: number): Promise<void>
  /**
   * gives up on what was accepted and not yet begun, but for the newest `keepBytes` (at least
   * the newest write), saying how much was skipped
   */
  skipQueued?(keepBytes: number): void
}

/**
 * Where the console goes. A file (or /dev/null) is written at once, straight from the gathered
 * bytes. A terminal is written from a thread of its own (console-thread.ts): Node writes to a
 * terminal synchronously, and a terminal paused with Ctrl-S would block the main thread. Pipes
 * and sockets go through process.stdout, whose queue the skip-and-count watches.
 */
export function stdoutSink(): Sink {
  if (isatty(1)) return threadSink()
  let stat: Stats | undefined
  try {
    stat = fstatSync(1)
  } catch {
    stat = undefined
  }
  if (stat && (stat.isFile() || stat.isCharacterDevice())) {
    return {
      writableLength: 0,
      write(bytes: Buffer): void {
        try {
          for (let done = 0; done < bytes.length; ) done += writeSync(1, bytes, done, bytes.length - done)
        } catch {
          // a full disk or a closed descriptor: the console is best effort
        }
      },
    }
  }
  return {
    get writableLength() {
      return process.stdout.writableLength
    },
    write(bytes: Buffer): void {
      // the stream may write later: it gets a copy of its own
      process.stdout.write(Buffer.from(bytes))
    },
    drain(timeoutMs: number): Promise<void> {
      if (process.stdout.writableLength === 0) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        // called once everything written before it is delivered
        process.stdout.write('', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}
