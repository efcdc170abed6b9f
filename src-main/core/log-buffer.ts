// One replica's recent output: a ring bounded by lines and by characters, so a replica that
// floods its stdout keeps the orchestrator's memory flat whatever the length of its lines.
// Lines that fall off the ring are counted, not kept.
import type { LogLine } from '../../src-shared/status'

export const DEFAULT_LOG_CAPACITY = 5000
/** 5,000 lines of 16 KiB would be 80 MiB a replica; this keeps it to a few MiB */
export const DEFAULT_LOG_CHARS = 2 * 1024 * 1024

export class LogBuffer {
  private readonly ring: (LogLine | undefined)[]
  private next = 0
  private size = 0
  private seq = 0
  private chars = 0
  /** lines pushed out of the ring since the replica was created */
  dropped = 0

  constructor(
    readonly service: string,
    readonly replica: string,
    readonly capacity = DEFAULT_LOG_CAPACITY,
    /** the newest line is always kept, however long */
    readonly maxChars = DEFAULT_LOG_CHARS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`log capacity must be a positive integer, got ${capacity}`)
    if (!(maxChars > 0)) throw new RangeError(`log size must be a positive number of characters, got ${maxChars}`)
    this.ring = new Array<LogLine | undefined>(capacity)
  }

  push(stream: LogLine['stream'], text: string, time = Date.now()): LogLine {
    const line: LogLine = { seq: ++this.seq, time, service: this.service, replica: this.replica, stream, text }
    this.chars += text.length
    while (this.size > 0 && (this.size === this.capacity || this.chars > this.maxChars)) this.dropOldest()
    this.size++
    this.ring[this.next] = line
    this.next = (this.next + 1) % this.capacity
    return line
  }

  private dropOldest(): void {
    const index = (this.next - this.size + this.capacity) % this.capacity
    this.chars -= this.ring[index]?.text.length ?? 0
    this.ring[index] = undefined
    this.size--
    this.dropped++
  }

  /** characters of text kept */
  get textLength(): number {
    return this.chars
  }

  /** the kept lines, oldest first; the last `tail` when given */
  lines(tail?: number): LogLine[] {
    const count = tail === undefined ? this.size : Math.max(0, Math.min(tail, this.size))
    const out: LogLine[] = []
    for (let i = this.size - count; i < this.size; i++) {
      const index = (this.next - this.size + i + this.capacity) % this.capacity
      const line = this.ring[index]
      if (line) out.push(line)
    }
    return out
  }

  get length(): number {
    return this.size
  }
}

/** several replicas' lines as one, in time order (stable per replica) */
export function mergeLogs(buffers: LogBuffer[], tail?: number): LogLine[] {
  const all = buffers.flatMap((b) => b.lines(tail))
  all.sort((a, b) => a.time - b.time)
  return tail === undefined ? all : all.slice(Math.max(0, all.length - tail))
}
