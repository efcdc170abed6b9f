// Numbers events for delivery and keeps the most recent ones, so a client that reconnects
// with the last id it saw (Last-Event-ID) gets what it missed instead of a gap.
import type { DeliveredEvent } from '../../src-shared/contract'

export const DEFAULT_EVENT_BUFFER = 10_000

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

  constructor(readonly capacity = DEFAULT_EVENT_BUFFER) {
    this.ring = new Array<DeliveredEvent | undefined>(capacity)
  }

  append(event: Undelivered): DeliveredEvent {
    // a log event per line is most of what passes here: built without a spread
    const delivered = (event.type === 'log' ? { type: 'log', line: event.line, id: ++this.lastId } : { ...event, id: ++this.lastId }) as DeliveredEvent
    if (delivered.type === 'service') this.supersede(delivered.service.name, this.next, delivered.id)
    this.ring[this.next] = delivered
    this.next = (this.next + 1) % this.capacity
    if (this.size < this.capacity) this.size++
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
      // one slot per id: every id up to lastId - capacity has been overwritten. Gaps above that
      // are superseded service snapshots, whose newer snapshot follows, so nothing is lost there.
      const lostThrough = this.lastId - this.capacity
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
