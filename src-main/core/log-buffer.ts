// One replica's recent output: a ring bounded by lines and by characters, so a replica that
// floods its stdout keeps the orchestrator's memory flat whatever the length of its lines.
// Lines that fall off the ring are counted, not kept.
import type { LogLine } from '../../src-shared/status'
import { turnNow } from './turn-clock'

export const DEFAULT_LOG_CAPACITY = 5000
/** 5,000 lines of 16 KiB would be 80 MiB a replica; this keeps it to a few MiB */
export const DEFAULT_LOG_CHARS = 2 * 1024 * 1024

/** slots a new replica's ring starts with */
const INITIAL_SLOTS = 64

const STREAMS: readonly LogLine['stream'][] = ['stdout', 'stderr', 'system']

/**
 * Kept as text, time and stream in parallel arrays rather than as LogLine objects: a flood
 * makes a line object per line for its event anyway, and the garbage collector copies every
 * object still kept at each young-generation collection, so keeping the objects doubled its work.
 */
export class LogBuffer {
  // the ring starts small and grows to capacity as lines come: hundreds of quiet replicas
  // would otherwise hold 85 KB each from the start, and every later spawn() forks that memory
  private texts: (string | undefined)[]
  private times: Float64Array
  private streams: Uint8Array
  private slots: number
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
    this.slots = Math.min(capacity, INITIAL_SLOTS)
    this.texts = new Array<string | undefined>(this.slots).fill(undefined)
    this.times = new Float64Array(this.slots)
    this.streams = new Uint8Array(this.slots)
  }

  /** a ring with more slots holding the same lines, oldest first from slot 0 */
  private grow(): void {
    const slots = Math.min(this.capacity, this.slots * 4)
    const texts = new Array<string | undefined>(slots).fill(undefined)
    const times = new Float64Array(slots)
    const streams = new Uint8Array(slots)
    for (let i = 0; i < this.size; i++) {
      const from = (this.next - this.size + i + this.slots) % this.slots
      texts[i] = this.texts[from]
      times[i] = this.times[from]!
      streams[i] = this.streams[from]!
    }
    this.texts = texts
    this.times = times
    this.streams = streams
    this.next = this.size
    this.slots = slots
  }

  push(stream: LogLine['stream'], text: string, time = turnNow()): LogLine {
    this.chars += text.length
    while (this.size > 0 && (this.size === this.capacity || this.chars > this.maxChars)) this.dropOldest()
    if (this.size === this.slots) this.grow()
    this.size++
    const at = this.next
    this.texts[at] = text
    this.times[at] = time
    this.streams[at] = stream === 'stdout' ? 0 : stream === 'stderr' ? 1 : 2
    this.next = at + 1 === this.slots ? 0 : at + 1
    return { seq: ++this.seq, time, service: this.service, replica: this.replica, stream, text }
  }

  private dropOldest(): void {
    const index = (this.next - this.size + this.slots) % this.slots
    this.chars -= this.texts[index]?.length ?? 0
    this.texts[index] = undefined
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
    const firstSeq = this.seq - this.size + 1
    for (let i = this.size - count; i < this.size; i++) {
      const index = (this.next - this.size + i + this.slots) % this.slots
      const text = this.texts[index]
      if (text === undefined) continue
      out.push({ seq: firstSeq + i, time: this.times[index]!, service: this.service, replica: this.replica, stream: STREAMS[this.streams[index]!]!, text })
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
