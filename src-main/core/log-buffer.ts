// One replica's recent output: a ring bounded by lines and by size, so a replica that floods
// its stdout keeps the orchestrator's memory flat whatever the length of its lines. Lines that
// fall off the ring are counted, not kept.
import type { LogLine } from '../../src-shared/status'
import type { LineBatch } from './line-splitter'
import { ByteRing } from './logs/byte-ring'
import type { LogRun } from './logs/log-run'

export const DEFAULT_LOG_CAPACITY = 5000
/** 5,000 lines of 16 KiB would be 80 MiB a replica; this keeps it to a few MiB */
export const DEFAULT_LOG_CHARS = 2 * 1024 * 1024

/** slots a replica's ring starts with once it has output */
const INITIAL_SLOTS = 64

const STREAMS: readonly LogLine['stream'][] = ['stdout', 'stderr', 'system']

/**
 * The lines' bytes are copied into a ByteRing of the replica's own, with each line's end, time
 * and stream in typed arrays beside it. Keeping strings or LogLine objects left the garbage
 * collector thousands of objects to copy, keeping the pipe's reads left 64 KiB reads waiting
 * for full collections. Text is decoded from UTF-8 only when lines are read.
 */
export class LogBuffer {
  private readonly bytes = new ByteRing()

  private slots = 0
  private ends = new Float64Array(0)
  private times = new Float64Array(0)
  private streams = new Uint8Array(0)
  /** slot of the oldest kept line */
  private first = 0
  private size = 0
  private seq = 0
  private chars = 0
  /** lines pushed out of the ring since the replica was created */
  dropped = 0

  constructor(
    readonly service: string,
    readonly replica: string,
    readonly capacity = DEFAULT_LOG_CAPACITY,
    /** size bound in bytes of UTF-8 (characters, for ASCII); the newest line is always kept, however long */
    readonly maxChars = DEFAULT_LOG_CHARS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`log capacity must be a positive integer, got ${capacity}`)
    if (!(maxChars > 0)) throw new RangeError(`log size must be a positive number of characters, got ${maxChars}`)
  }

  /**
   * several lines read at once; the run returned numbers them (its bytes are the batch's, not kept
   * here). A caller taking floods of output passes the time of a TurnClock (turn-clock.ts).
   */
  pushLines(stream: LogLine['stream'], batch: LineBatch, time = Date.now()): LogRun {
    const count = batch.ends.length
    const run: LogRun = { service: this.service, replica: this.replica, stream, time, firstSeq: this.seq + 1, bytes: batch.bytes, ends: batch.ends }
    this.seq += count
    const base = this.bytes.append(batch.bytes)
    const code = stream === 'stdout' ? 0 : stream === 'stderr' ? 1 : 2
    let previous = -1
    for (let i = 0; i < count; i++) {
      if (this.size === this.slots) this.growSlots()
      const slot = (this.first + this.size) % this.slots
      const lineEnd = batch.ends[i]!
      this.ends[slot] = base + lineEnd
      this.times[slot] = time
      this.streams[slot] = code
      this.size++
      this.chars += lineEnd - previous - 1
      previous = lineEnd
      // dropping as lines come keeps the slots within the capacity
      if (this.size > this.capacity) this.dropOldest()
    }
    while (this.chars > this.maxChars && this.size > 1) this.dropOldest()
    return run
  }

  private growSlots(): void {
    const slots = Math.min(this.capacity + 1, Math.max(INITIAL_SLOTS, this.slots * 4))
    const ends = new Float64Array(slots)
    const times = new Float64Array(slots)
    const streams = new Uint8Array(slots)
    for (let i = 0; i < this.size; i++) {
      const from = (this.first + i) % this.slots
      ends[i] = this.ends[from]!
      times[i] = this.times[from]!
      streams[i] = this.streams[from]!
    }
    this.ends = ends
    this.times = times
    this.streams = streams
    this.first = 0
    this.slots = slots
  }

  private dropOldest(): void {
    const lineEnd = this.ends[this.first]!
    this.chars -= lineEnd - this.bytes.start
    this.bytes.release(lineEnd + 1)
    this.first = (this.first + 1) % this.slots
    this.size--
    this.dropped++
  }

  /** characters of text kept (bytes of UTF-8) */
  get textLength(): number {
    return this.chars
  }

  /** the kept lines, oldest first; the last `tail` when given */
  lines(tail?: number): LogLine[] {
    const count = tail === undefined ? this.size : Math.max(0, Math.min(tail, this.size))
    const out: LogLine[] = []
    const firstSeq = this.seq - this.size + 1
    for (let i = this.size - count; i < this.size; i++) {
      const slot = (this.first + i) % this.slots
      const lineStart = i === 0 ? this.bytes.start : this.ends[(slot - 1 + this.slots) % this.slots]! + 1
      const text = this.bytes.text(lineStart, this.ends[slot]!)
      out.push({ seq: firstSeq + i, time: this.times[slot]!, service: this.service, replica: this.replica, stream: STREAMS[this.streams[slot]!]!, text })
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
