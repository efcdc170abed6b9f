// Numbers events for delivery and keeps the most recent ones, so a client that reconnects
// with the last id it saw (Last-Event-ID) gets what it missed instead of a gap.
import type { DeliveredEvent } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { ByteRing } from './logs/byte-ring'
import { logLinesOf, type LogRun } from './logs/log-run'

export const DEFAULT_EVENT_BUFFER = 10_000
/**
 * Characters of log text the replay ring keeps. Log lines are most events and can be 16 KiB
 * each; every replica's own log keeps far more of them, so the ring keeps only what a client
 * that reconnects after a short break needs (about 2,500 lines of 100 characters).
 */
export const DEFAULT_EVENT_LOG_CHARS = 256 * 1024

export interface SubscribeOptions {
  /** replay the kept events with a greater id first */
  after?: number
  /** told, before the replay, which ids after `after` are no longer kept */
  onMissed?: (firstId: number, lastId: number) => void
  /**
   * Takes the log lines of a run at once (their ids are firstId, firstId + 1, ...) instead
   * of one 'log' event per line; a replay still comes as events.
   */
  onLogRun?: (run: LogRun, firstId: number) => void
}

/** what is appended one at a time: everything but log lines, which come as runs (appendRun) */
type Undelivered = DeliveredEvent extends infer E ? (E extends DeliveredEvent ? (E extends { type: 'log' } ? never : Omit<E, 'id'>) : never) : never

/** the lines of a run kept for replay: one entry, many ids, the bytes copied into the ring's own */
interface RunEntry {
  readonly type: 'run'
  readonly id: number
  readonly run: Omit<LogRun, 'bytes'>
  /** where the run's bytes start in `bytes`, and how many */
  readonly offset: number
  readonly size: number
}

type Entry = DeliveredEvent | RunEntry

interface Subscriber {
  readonly listener: (event: DeliveredEvent) => void
  readonly onLogRun: ((run: LogRun, firstId: number) => void) | undefined
}

function lastIdOf(entry: Entry): number {
  return entry.type === 'run' ? entry.id + entry.run.ends.length - 1 : entry.id
}

function logChars(entry: Entry): number {
  return entry.type === 'run' ? entry.size - entry.run.ends.length : 0
}

/** entries already gone at the front before the list is compacted */
const COMPACT_AFTER = 1024

export class EventLog {
  /** oldest first; removed entries leave a hole until the front passes them */
  private entries: (Entry | undefined)[] = []
  private head = 0
  /** positions count every entry ever added: position - base is the index in entries */
  private base = 0
  private lastId = 0
  /** replaced, never changed in place, so a delivery in progress keeps the list it started with */
  private subscribers: readonly Subscriber[] = []

  /** characters of log text kept */
  private logChars = 0
  /** the lowest position not yet looked at when dropping log entries for size */
  private logScan = 0
  /** the highest id of a log line dropped for size */
  private logsLostThrough = 0
  /** the bytes of the runs kept */
  private readonly bytes = new ByteRing()
  /** where the newest service event of each service sits */
  private readonly latestService = new Map<string, { position: number; id: number }>()

  constructor(
    /** ids kept: events older than the newest `capacity` ids are gone */
    readonly capacity = DEFAULT_EVENT_BUFFER,
    readonly maxLogChars = DEFAULT_EVENT_LOG_CHARS,
  ) {}

  append(event: Undelivered): DeliveredEvent {
    const delivered = { ...event, id: ++this.lastId } as DeliveredEvent
    const position = this.keep(delivered)
    if (delivered.type === 'service') this.supersede(delivered.service.name, position, delivered.id)
    // only the newest reading matters to a client that reconnects (a space is no service name)
    else if (delivered.type === 'resources') this.supersede(' resources', position, delivered.id)
    const subscribers = this.subscribers
    for (let i = 0; i < subscribers.length; i++) deliver(subscribers[i]!.listener, delivered)
    return delivered
  }

  /**
   * A replica's log lines read together: numbered as one event each, kept and handed on as one
   * run. Subscribers without onLogRun (the event stream, IPC) get a 'log' event per line.
   */
  appendRun(run: LogRun): void {
    const count = run.ends.length
    if (count === 0) return
    const firstId = this.lastId + 1
    this.lastId += count
    const { service, replica, stream, time, firstSeq, ends } = run
    const offset = this.bytes.append(run.bytes)
    this.keep({ type: 'run', id: firstId, run: { service, replica, stream, time, firstSeq, ends }, offset, size: run.bytes.length })
    const subscribers = this.subscribers
    // made once for every subscriber that takes events one by one, and only if there is one
    let lines: LogLine[] | undefined
    for (let s = 0; s < subscribers.length; s++) {
      const { listener, onLogRun } = subscribers[s]!
      if (onLogRun) {
        try {
          onLogRun(run, firstId)
        } catch {
          // as in deliver()
        }
      } else {
        lines ??= logLinesOf(run)
        for (let i = 0; i < count; i++) deliver(listener, { type: 'log', line: lines[i]!, id: firstId + i })
      }
    }
  }

  private keep(entry: Entry): number {
    const position = this.base + this.entries.length
    this.entries.push(entry)
    const chars = logChars(entry)
    if (chars > 0) this.logChars += chars
    // what the capacity pushed out, then what the size bound pushes out
    const oldestKept = this.lastId - this.capacity
    while (this.head < this.entries.length) {
      const front = this.entries[this.head]
      if (front !== undefined && lastIdOf(front) > oldestKept) break
      if (front !== undefined) this.forget(front)
      this.entries[this.head++] = undefined
    }
    if (this.logChars > this.maxLogChars) this.dropLogs()
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head)
      this.base += this.head
      this.head = 0
    }
    return position
  }

  private forget(entry: Entry): void {
    this.logChars -= logChars(entry)
    // runs go oldest first, so the bytes before the end of this one are no longer needed
    if (entry.type === 'run') this.bytes.release(entry.offset + entry.size)
  }

  /** drops the oldest log entries until their text fits again (the newest is always kept) */
  private dropLogs(): void {
    const last = this.entries.length - 1
    let index = Math.max(this.logScan - this.base, this.head)
    for (; index < last && this.logChars > this.maxLogChars; index++) {
      const entry = this.entries[index]
      if (entry === undefined || entry.type !== 'run') continue
      this.entries[index] = undefined
      this.forget(entry)
      this.logsLostThrough = lastIdOf(entry)
    }
    this.logScan = this.base + index
  }

  /**
   * A service event carries the whole service, so an older one of the same service tells a
   * reconnecting client nothing the newer does not: it is dropped. This keeps a crash-looping
   * service with many replicas from filling memory with snapshots of itself.
   */
  private supersede(service: string, position: number, id: number): void {
    const previous = this.latestService.get(service)
    const index = previous ? previous.position - this.base : -1
    if (previous && index >= this.head && this.entries[index]?.id === previous.id) this.entries[index] = undefined
    this.latestService.set(service, { position, id })
  }

  /** kept events with an id greater than `after`, oldest first */
  since(after: number): DeliveredEvent[] {
    const out: DeliveredEvent[] = []
    // a run may reach back past the capacity: its oldest lines count as gone
    const floor = Math.max(after, this.lastId - this.capacity)
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]
      if (entry === undefined) continue
      if (entry.type !== 'run') {
        if (entry.id > after) out.push(entry)
        continue
      }
      for (let n = Math.max(0, floor + 1 - entry.id); n < entry.run.ends.length; n++) out.push({ type: 'log', line: this.keptLine(entry, n), id: entry.id + n })
    }
    return out
  }

  private keptLine({ run, offset }: RunEntry, i: number): LogLine {
    const start = offset + (i === 0 ? 0 : run.ends[i - 1]! + 1)
    const text = this.bytes.text(start, offset + run.ends[i]!)
    return { seq: run.firstSeq + i, time: run.time, service: run.service, replica: run.replica, stream: run.stream, text }
  }

  subscribe(listener: (event: DeliveredEvent) => void, options: SubscribeOptions = {}): () => void {
    if (options.after !== undefined) {
      // every id up to lastId - capacity is gone, and log lines up to logsLostThrough were
      // dropped for size. Other gaps are superseded service snapshots, whose newer snapshot
      // follows, so nothing is lost there.
      const lostThrough = Math.max(this.lastId - this.capacity, this.logsLostThrough)
      if (options.after < lostThrough) options.onMissed?.(options.after + 1, lostThrough)
      for (const event of this.since(options.after)) deliver(listener, event)
    }
    // the same function subscribed twice is still one subscriber (as it was with a Set)
    if (!this.subscribers.some((s) => s.listener === listener)) this.subscribers = [...this.subscribers, { listener, onLogRun: options.onLogRun }]
    return () => {
      this.subscribers = this.subscribers.filter((s) => s.listener !== listener)
    }
  }

  get latestId(): number {
    return this.lastId
  }
}

function deliver(listener: (event: DeliveredEvent) => void, event: DeliveredEvent): void {
  try {
    listener(event)
  } catch {
    // one broken subscriber must not starve the others
  }
}
