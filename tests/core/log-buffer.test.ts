import { describe, expect, it } from 'vitest'
import { LogBuffer, mergeLogs } from '../../src-main/core/log-buffer'
import { EventLog } from '../../src-main/core/event-log'
import { singleLine } from '../../src-main/core/line-splitter'
import type { StateEvent } from '../../src-shared/events'
import type { LogLine } from '../../src-shared/status'

function push(log: LogBuffer, stream: LogLine['stream'], text: string, time?: number): void {
  log.pushLines(stream, singleLine(text), time)
}

describe('LogBuffer', () => {
  it('keeps the newest lines, numbers them, and counts what fell off', () => {
    const log = new LogBuffer('web', 'web_1-1', 3)
    for (let i = 1; i <= 5; i++) push(log, 'stdout', `l${i}`, i)
    expect(log.lines().map((l) => [l.seq, l.text])).toEqual([[3, 'l3'], [4, 'l4'], [5, 'l5']])
    expect(log.lines(2).map((l) => l.text)).toEqual(['l4', 'l5'])
    expect(log.lines(0)).toEqual([])
    expect(log.dropped).toBe(2)
  })

  it('keeps every line, in order, while its ring grows to capacity and after it wraps around', () => {
    const log = new LogBuffer('web', 'web_1-1', 300)
    for (let i = 1; i <= 250; i++) push(log, i % 2 ? 'stdout' : 'stderr', `l${i}`, i)
    expect(log.lines().map((l) => l.text)).toEqual(Array.from({ length: 250 }, (_, i) => `l${i + 1}`))
    for (let i = 251; i <= 1000; i++) push(log, i % 2 ? 'stdout' : 'stderr', `l${i}`, i)
    const kept = log.lines()
    expect(kept.map((l) => [l.seq, l.text, l.time])).toEqual(Array.from({ length: 300 }, (_, i) => [701 + i, `l${701 + i}`, 701 + i]))
    expect(kept.map((l) => l.stream).slice(0, 2)).toEqual(['stdout', 'stderr'])
    expect(log.dropped).toBe(700)
  })

  it('merges replicas in time order and tails the merge', () => {
    const a = new LogBuffer('web', 'a', 10)
    const b = new LogBuffer('web', 'b', 10)
    push(a, 'stdout', 'a1', 1)
    push(b, 'stdout', 'b1', 2)
    push(a, 'stderr', 'a2', 3)
    expect(mergeLogs([a, b]).map((l) => l.text)).toEqual(['a1', 'b1', 'a2'])
    expect(mergeLogs([a, b], 2).map((l) => l.text)).toEqual(['b1', 'a2'])
  })
})

describe('EventLog', () => {
  it('keeps only the newest service event of each service for replay', () => {
    const events = new EventLog(10)
    const service = (name: string, replicas: number): StateEvent => ({
      type: 'service',
      service: { name, kind: 'executable', replicas, state: 'running', restarts: 0, bindings: [], args: [], replicaStatuses: [] },
    })
    events.append(service('web', 1))
    events.append(service('db', 1))
    events.append({ type: 'application', state: 'running' })
    events.append(service('web', 2))
    expect(events.since(0).map((e) => (e.type === 'service' ? `${e.service.name}:${e.service.replicas}` : e.type))).toEqual(['db:1', 'application', 'web:2'])
  })

  it('numbers events and replays those after a given id to a late subscriber', () => {
    const events = new EventLog(3)
    for (const state of ['starting', 'running', 'stopping', 'stopped'] as const) events.append({ type: 'application', state })
    const seen: number[] = []
    events.subscribe((e) => seen.push(e.id), { after: 2 })
    events.append({ type: 'application', state: 'starting' })
    expect(seen).toEqual([3, 4, 5])
    expect(events.since(0).map((e) => e.id)).toEqual([3, 4, 5])
  })

  it('tells a resuming subscriber which ids fell out of the buffer, but not superseded snapshots', () => {
    const service = (replicas: number): StateEvent => ({
      type: 'service',
      service: { name: 'web', kind: 'executable', replicas, state: 'running', restarts: 0, bindings: [], args: [], replicaStatuses: [] },
    })
    const events = new EventLog(4)
    for (let n = 1; n <= 3; n++) events.append(service(n)) // ids 1-3; 1 and 2 superseded by 3
    const missed: [number, number][] = []
    events.subscribe(() => {}, { after: 0, onMissed: (first, last) => missed.push([first, last]) })
    expect(missed).toEqual([])
    for (let n = 0; n < 3; n++) events.append({ type: 'application', state: 'running' }) // ids 4-6: 1 and 2 overwritten
    events.subscribe(() => {}, { after: 0, onMissed: (first, last) => missed.push([first, last]) })
    events.subscribe(() => {}, { after: 2, onMissed: (first, last) => missed.push([first, last]) })
    expect(missed).toEqual([[1, 2]])
  })
})

describe('LogBuffer size bound', () => {
  it('drops the oldest lines when their text passes the size bound, keeping the newest however long', () => {
    const log = new LogBuffer('web', 'web_1-1', 100, 10)
    push(log, 'stdout', 'aaaa')
    push(log, 'stdout', 'bbbb')
    push(log, 'stdout', 'cccc')
    expect(log.lines().map((l) => l.text)).toEqual(['bbbb', 'cccc'])
    expect(log.dropped).toBe(1)
    push(log, 'stdout', 'x'.repeat(25))
    expect(log.lines().map((l) => l.text)).toEqual(['x'.repeat(25)])
    expect(log.textLength).toBe(25)
    expect(log.dropped).toBe(3)
    push(log, 'stdout', 'y')
    expect(log.lines().map((l) => l.seq)).toEqual([5])
  })
})

describe('EventLog size bound for log lines', () => {
  const log = (events: EventLog, seq: number, text: string): void =>
    events.appendRun({ service: 'web', replica: 'web_1-1', stream: 'stdout', time: seq, firstSeq: seq, ...singleLine(text) })

  it('drops the oldest log events past the size bound, keeps other events, and says which ids are gone', () => {
    const events = new EventLog(100, 10)
    log(events, 1, 'aaaa') // id 1
    events.append({ type: 'application', state: 'running' }) // id 2
    log(events, 2, 'bbbb') // id 3
    log(events, 3, 'cccc') // id 4: 12 characters, so id 1 goes
    expect(events.since(0).map((e) => e.id)).toEqual([2, 3, 4])
    log(events, 4, 'x'.repeat(20)) // id 5: alone past the bound, kept
    expect(events.since(0).map((e) => e.id)).toEqual([2, 5])
    const missed: [number, number][] = []
    const replayed: number[] = []
    events.subscribe((e) => replayed.push(e.id), { after: 0, onMissed: (first, last) => missed.push([first, last]) })
    expect(missed).toEqual([[1, 4]])
    expect(replayed).toEqual([2, 5])
  })

  it('counts a log event overwritten by the ring as gone from the size', () => {
    const events = new EventLog(2, 10)
    log(events, 1, 'aaaaaaaa')
    events.append({ type: 'application', state: 'running' })
    events.append({ type: 'application', state: 'running' }) // overwrites the log event
    log(events, 2, 'bbbbbbbb') // fits: the first no longer counts
    expect(events.since(0).map((e) => e.id)).toEqual([3, 4])
  })
})
