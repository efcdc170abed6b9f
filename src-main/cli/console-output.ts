// The console of `micronetes run`: lines are gathered and written together, once per turn of
// the event loop or every BATCH_BYTES, because a write per line cost a system call per line
// and was the largest cost of a replica that floods its log. A reader slower than the flood
// (a terminal, a pipe into `less`) makes lines be skipped and counted, never queued without end.
import type { Writable } from 'node:stream'

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
    private readonly stream: Pick<Writable, 'write' | 'writableLength'>,
    private readonly backlogBytes = CONSOLE_BACKLOG_BYTES,
  ) {}

  /** one line, without its newline */
  line(text: string): void {
    // pending counts UTF-16 units, near enough to bytes for a bound
    if (this.stream.writableLength + this.pendingChars > this.backlogBytes) {
      this.skipped++
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
