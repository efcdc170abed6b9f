// One replica's recent output: a ring bounded by lines and by characters, so a replica that
// floods its stdout keeps the orchestrator's memory flat whatever the length of its lines.
// Lines that fall off the ring are counted, not kept.
import type { LogLine } from '../../src-shared/status'
import { singleLine, type LineBatch } from './line-splitter'
import { linesChars, logLineOf, runChars, type LogRun } from './logs/log-run'
import { turnNow } from './turn-clock'

export const DEFAULT_LOG_CAPACITY = 5000
/** 5,000 lines of 16 KiB would be 80 MiB a replica; this keeps it to a few MiB */
export const DEFAULT_LOG_CHARS = 2 * 1024 * 1024

/** runs already dropped at the front before the list is compacted */
const COMPACT_AFTER = 256

/**
 * Kept as runs (the text of many lines and where each ends), as they came from the pipe: a
 * flood keeps a handful of strings instead of 5,000 line objects, which the garbage collector
 * would copy at every young-generation collection.
 */
export class LogBuffer {
  private runs: (LogRun | undefined)[] = []
  /** index of the oldest run kept */
  private head = 0
  /** lines of the oldest run already dropped */
  private skip = 0
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
  }

  push(stream: LogLine['stream'], text: string, time = turnNow()): LogLine {
    return logLineOf(this.pushLines(stream, singleLine(text), time), 0)
  }

  /** several lines read at once; the run returned numbers them */
  pushLines(stream: LogLine['stream'], batch: LineBatch, time = turnNow()): LogRun {
    const run: LogRun = { service: this.service, replica: this.replica, stream, time, firstSeq: this.seq + 1, bytes: batch.bytes, ends: batch.ends }
    const count = batch.ends.length
    this.seq += count
    this.size += count
    this.chars += runChars(batch)
    this.runs.push(run)
    this.trim()
    return run
  }

  private trim(): void {
    while (this.size > this.capacity || (this.chars > this.maxChars && this.size > 1)) {
      const run = this.runs[this.head]!
      const left = run.ends.length - this.skip
      // as many lines as the count bound wants at once; past that, one by one for the size
      let drop = Math.min(left, Math.max(1, this.size - this.capacity))
      if (this.size - drop < 1) drop = this.size - 1
      this.chars -= linesChars(run, this.skip, this.skip + drop)
      this.size -= drop
      this.dropped += drop
      this.skip += drop
      if (this.skip === run.ends.length) this.dropRun()
    }
  }

  private dropRun(): void {
    this.runs[this.head++] = undefined
    this.skip = 0
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.runs.length) {
      this.runs = this.runs.slice(this.head)
      this.head = 0
    }
  }

  /** characters of text kept */
  get textLength(): number {
    return this.chars
  }

  /** the kept lines, oldest first; the last `tail` when given */
  lines(tail?: number): LogLine[] {
    const count = tail === undefined ? this.size : Math.max(0, Math.min(tail, this.size))
    const out: LogLine[] = []
    let toSkip = this.size - count
    for (let r = this.head; r < this.runs.length; r++) {
      const run = this.runs[r]!
      const first = r === this.head ? this.skip : 0
      const n = run.ends.length - first
      if (toSkip >= n) {
        toSkip -= n
        continue
      }
      for (let i = first + toSkip; i < run.ends.length; i++) out.push(logLineOf(run, i))
      toSkip = 0
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
