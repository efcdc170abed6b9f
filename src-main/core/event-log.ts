// Numbers events for delivery and keeps the most recent ones, so a client that reconnects
// with the last id it saw (Last-Event-ID) gets what it missed instead of a gap.
import type { DeliveredEvent } from '../../src-shared/contract'

export const DEFAULT_EVENT_BUFFER = 10_000
/**
 * Characters of log text the replay ring keeps. Log lines are most events and can be 16 KiB
 * each; every replica's own log keeps far more of them, so the ring keeps only what a client
 * that reconnects after a short break needs (about 2,500 lines of 100 characters). Every event
 * kept is copied by each young-generation collection, so a larger ring slowed a flood: with
 * 1 Mi characters ingest was about 0.6x of this.
 */
export const DEFAULT_EVENT_LOG_CHARS = 256 * 1024

export interface SubscribeOptions {
  /** replay the kept events with a greater id first */
  after?: number
  /** told, before the replay, which ids after `after` are no longer kept */
  onMissed?: (firstId: number, lastId: number) => void
}

type Undelivered = DeliveredEvent extends infer E ? (E extends DeliveredEvent ? Omit<E, 'id'> : never) : never

export class EventLog {
  private readonly ring: (DeliveredEvent | undefined)[]
  private next = 0
  private size = 0
  private lastId = 0
  /** replaced, never changed in place, so a delivery in progress keeps the list it started with */
  private listeners: readonly ((event: DeliveredEvent) => void)[] = []

  /** characters of log text in the ring */
  private logChars = 0
  /** the lowest id not yet looked at when dropping log events for size */
  private logScanId = 1
  /** the highest id of a log event dropped for size */
  private logsLostThrough = 0

  constructor(
    readonly capacity = DEFAULT_EVENT_BUFFER,
    readonly maxLogChars = DEFAULT_EVENT_LOG_CHARS,
  ) {
    this.ring = new Array<DeliveredEvent | undefined>(capacity)
  }

  append(event: Undelivered): DeliveredEvent {
    // a log event per line is most of what passes here: built without a spread
    const delivered = (event.type === 'log' ? { type: 'log', line: event.line, id: ++this.lastId } : { ...event, id: ++this.lastId }) as DeliveredEvent
    if (delivered.type === 'service') this.supersede(delivered.service.name, this.next, delivered.id)
    const overwritten = this.ring[this.next]
    if (overwritten?.type === 'log') this.logChars -= overwritten.line.text.length
    this.ring[this.next] = delivered
    this.next = (this.next + 1) % this.capacity
    if (this.size < this.capacity) this.size++
    if (delivered.type === 'log') {
      this.logChars += delivered.line.text.length
      if (this.logChars > this.maxLogChars) this.dropLogs()
    }
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(delivered)
      } catch {
        // one broken subscriber must not starve the others
      }
    }
    return delivered
  }

  /** drops the oldest log events until their text fits again (the newest is always kept) */
  private dropLogs(): void {
    // slot of id n is (n - 1) % capacity: every append takes one id and one slot
    let id = Math.max(this.logScanId, this.lastId - this.size + 1)
    for (; id < this.lastId && this.logChars > this.maxLogChars; id++) {
      const slot = (id - 1) % this.capacity
      const event = this.ring[slot]
      if (event?.type !== 'log' || event.id !== id) continue
      this.ring[slot] = undefined
      this.logChars -= event.line.text.length
      this.logsLostThrough = id
    }
    this.logScanId = id
  }

  /** where the newest service event of each service sits in the ring */
  private readonly latestService = new Map<string, { slot: number; id: number }>()

  /**
   * A service event carries the whole service, so an older one of the same service tells a
   * reconnecting client nothing the newer does not: it is dropped from the ring. This keeps a
   * crash-looping service with many replicas from filling memory with snapshots of itself.
   */
  private supersede(service: string, slot: number, id: number): void {
    const previous = this.latestService.get(service)
    if (previous && this.ring[previous.slot]?.id === previous.id) this.ring[previous.slot] = undefined
    this.latestService.set(service, { slot, id })
  }

  /** kept events with an id greater than `after`, oldest first */
  since(after: number): DeliveredEvent[] {
    const out: DeliveredEvent[] = []
    for (let i = 0; i < this.size; i++) {
      const event = this.ring[(this.next - this.size + i + this.capacity) % this.capacity]
      if (event && event.id > after) out.push(event)
    }
    return out
  }

  subscribe(listener: (event: DeliveredEvent) => void, options: SubscribeOptions = {}): () => void {
    if (options.after !== undefined) {
      // one slot per id: every id up to lastId - capacity has been overwritten, and log events
      // up to logsLostThrough were dropped for size. Other gaps are superseded service
      // snapshots, whose newer snapshot follows, so nothing is lost there.
      const lostThrough = Math.max(this.lastId - this.capacity, this.logsLostThrough)
      if (options.after < lostThrough) options.onMissed?.(options.after + 1, lostThrough)
      for (const event of this.since(options.after)) {
        try {
          listener(event)
        } catch {
          // as above
        }
      }
    }
    // the same function subscribed twice is still one subscriber (as it was with a Set)
    if (!this.listeners.includes(listener)) this.listeners = [...this.listeners, listener]
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  get latestId(): number {
    return this.lastId
  }
}
