// GET /api/v1/events: the session's numbered events as server-sent events. Each event is one
// `id: N` + `data: {json}` message (so EventSource.onmessage sees them all); a client that
// reconnects with Last-Event-ID (or ?lastEventId= ) gets what it missed that is still buffered.
import type { DeliveredEvent } from '../../src-shared/contract'
import type { SessionHost } from '../core/session-host'
import { EventFormatter } from './event-format'
import { ApiError, BASE_HEADERS } from './http-io'
import type { Router } from './router'
import { SlowClientGate } from './slow-client'
import type { StreamLimit } from './stream-limit'

export const EVENT_TYPES: readonly DeliveredEvent['type'][] = ['session', 'application', 'service', 'replica', 'replica-removed', 'service-removed', 'log', 'logs-dropped', 'resources']

export interface EventStreamOptions {
  heartbeatMs?: number
  /** bytes queued for one client before its stream skips ahead */
  highWaterBytes?: number
  maxStuckMs?: number
}

/** the service an event is about; undefined for application-wide events */
export function serviceOfEvent(event: DeliveredEvent): string | undefined {
  switch (event.type) {
    case 'service': return event.service.name
    case 'replica': return event.replica.service
    case 'replica-removed':
    case 'service-removed':
    case 'logs-dropped': return event.service
    case 'log': return event.line.service
    default: return undefined
  }
}

function listParam(query: URLSearchParams, name: string): Set<string> | undefined {
  const values = query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
  return values.length > 0 ? new Set(values) : undefined
}

export interface EventFilter {
  services?: Set<string>
  types?: Set<string>
}

export function parseEventFilter(query: URLSearchParams): EventFilter {
  const services = listParam(query, 'service')
  const types = listParam(query, 'types')
  for (const type of types ?? []) {
    if (!(EVENT_TYPES as readonly string[]).includes(type)) {
      throw new ApiError(400, `?types=: unknown event type '${type}'; known: ${EVENT_TYPES.join(', ')}`)
    }
  }
  return { ...(services ? { services } : {}), ...(types ? { types } : {}) }
}

/** application-wide events pass a service filter: they concern every service */
export function eventPasses(event: DeliveredEvent, filter: EventFilter): boolean {
  if (filter.types && !filter.types.has(event.type)) return false
  if (filter.services) {
    const service = serviceOfEvent(event)
    if (service !== undefined && !filter.services.has(service)) return false
  }
  return true
}

function gapNote(first: number, last: number): string {
  const count = last - first + 1
  const message = `events ${first} to ${last} are no longer buffered; re-read /api/v1/services for the current state`
  return `data: ${JSON.stringify({ type: 'skipped', count, firstId: first, lastId: last, message })}\n\n`
}

function lastEventId(header: string | string[] | undefined, query: URLSearchParams): number | undefined {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query.get('lastEventId') ?? undefined
  if (raw === undefined || raw.trim() === '') return undefined
  if (!/^\d+$/.test(raw.trim())) throw new ApiError(400, `Last-Event-ID must be an event id (a non-negative integer), got '${raw}'`)
  return Number(raw.trim())
}

export function registerEventStream(router: Router, session: SessionHost, streams: StreamLimit, options: EventStreamOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000
  const highWaterBytes = options.highWaterBytes ?? 1024 * 1024

  router.add('GET', '/api/v1/events', ({ req, res, query }) => {
    const filter = parseEventFilter(query)
    const after = lastEventId(req.headers['last-event-id'], query)
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8' })
      res.end()
      return
    }
    streams.take(res, 'GET /api/v1/events')

    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    req.socket.setNoDelay(true)
    res.write('retry: 2000\n\n')

    let skipped: { firstId: number; lastId: number; count: number } | undefined
    const gate = new SlowClientGate(res, {
      highWaterBytes,
      ...(options.maxStuckMs !== undefined ? { maxStuckMs: options.maxStuckMs } : {}),
      // no id line, and the ids it missed: the client can replay them from firstId - 1.
      // The gate counts writes; a write here is a turn's worth of events, so they are counted here.
      skippedNote: () => {
        const { count, ...range } = skipped ?? { firstId: 0, lastId: 0, count: 0 }
        skipped = undefined
        const message = `${count} event(s) skipped: this client reads slower than the application emits; reconnect with Last-Event-ID: ${range.firstId - 1} to replay them, or re-read /api/v1/services`
        return `data: ${JSON.stringify({ type: 'skipped', count, ...range, message })}\n\n`
      },
    })
    // a client resuming from an id that fell out of the buffer must hear what it missed
    const onMissed = (first: number, last: number) => gate.write(gapNote(first, last))
    // The events of one turn (a chunk of a replica's output is hundreds of lines) go out as one
    // write: a write each cost a chunk header and an entry in the socket's queue per line.
    let batch: DeliveredEvent[] = []
    const formatter = new EventFormatter()
    const send = (): void => {
      const events = batch
      batch = []
      // a client already behind gets nothing formatted; the gate counts the turn and drops a stuck one
      const text = res.writableLength >= highWaterBytes ? '' : events.map((event) => formatter.format(event)).join('')
      if (gate.write(text)) return
      const first = events[0]!.id
      const last = events[events.length - 1]!.id
      skipped = { firstId: skipped?.firstId ?? first, lastId: last, count: (skipped?.count ?? 0) + events.length }
    }
    const unsubscribe = session.subscribe((event) => {
      if (!eventPasses(event, filter)) return
      if (batch.length === 0) process.nextTick(send)
      batch.push(event)
    }, after !== undefined ? { after, onMissed } : {})
    // a comment line keeps proxies and idle timers from closing a quiet stream
    const heartbeat = setInterval(() => {
      if (res.writableLength < highWaterBytes) res.write(': heartbeat\n\n')
    }, heartbeatMs)
    heartbeat.unref()

    // a client that takes resource readings is someone looking: sample each second
    const release = !filter.types || filter.types.has('resources') ? session.watch() : undefined
    res.on('close', () => {
      clearInterval(heartbeat)
      release?.()
      unsubscribe()
    })
  })
}
