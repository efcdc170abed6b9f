// A replica's log and the replay ring keep runs of lines read together and make line objects
// only when read: the same lines, numbers and bounds as one line at a time.
import { describe, expect, it } from 'vitest'
import type { DeliveredEvent } from '../../src-shared/contract'
import { EventLog } from '../../src-main/core/event-log'
import { LogBuffer } from '../../src-main/core/log-buffer'
import { singleLine, type LineBatch } from '../../src-main/core/line-splitter'
import type { LogRun } from '../../src-main/core/logs/log-run'

function batch(lines: string[]): LineBatch {
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''))
  const ends: number[] = []
  let at = -1
  for (const line of lines) ends.push((at += Buffer.byteLength(line) + 1))
  return { bytes, ends }
}

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `l${from + i}`)

describe('LogBuffer runs', () => {
  it('numbers the lines of runs and keeps the newest across runs, dropping part of the oldest run', () => {
    const log = new LogBuffer('web', 'web_1-1', 5)
    const run = log.pushLines('stdout', batch(numbered(1, 3)), 10)
    expect(run.firstSeq).toBe(1)
    log.pushLines('stderr', batch(numbered(4, 7)), 20)
    expect(log.lines().map((l) => [l.seq, l.text, l.stream, l.time])).toEqual([
      [3, 'l3', 'stdout', 10],
      [4, 'l4', 'stderr', 20],
      [5, 'l5', 'stderr', 20],
      [6, 'l6', 'stderr', 20],
      [7, 'l7', 'stderr', 20],
    ])
    expect(log.dropped).toBe(2)
    expect(log.lines(2).map((l) => l.text)).toEqual(['l6', 'l7'])
    log.pushLines('system', singleLine('single'), 30)
    expect(log.lines().map((l) => l.seq)).toEqual([4, 5, 6, 7, 8])
  })

  it('bounds the kept text, keeping the newest line however long', () => {
    const log = new LogBuffer('web', 'web_1-1', 100, 10)
    log.pushLines('stdout', batch(['aaaa', 'bbbb', 'cccc']))
    expect(log.lines().map((l) => l.text)).toEqual(['bbbb', 'cccc'])
    expect(log.textLength).toBe(8)
    log.pushLines('stdout', batch(['x'.repeat(25)]))
    expect(log.lines().map((l) => l.text)).toEqual(['x'.repeat(25)])
    expect(log.dropped).toBe(3)
  })

  it('decodes multi-byte text only when read', () => {
    const log = new LogBuffer('web', 'web_1-1')
    log.pushLines('stdout', batch(['é€', '😀']))
    expect(log.lines().map((l) => l.text)).toEqual(['é€', '😀'])
  })
})

describe('EventLog runs', () => {
  function run(replica: string, firstSeq: number, lines: string[]): LogRun {
    return { service: 'web', replica, stream: 'stdout', time: 5, firstSeq, ...batch(lines) }
  }

  it('numbers each line of a run as an event: one by one for plain subscribers, the run for run subscribers', () => {
    const events = new EventLog()
    events.append({ type: 'application', state: 'running' }) // id 1
    const plain: DeliveredEvent[] = []
    const runs: [string[], number][] = []
    events.subscribe((e) => plain.push(e))
    events.subscribe(() => {}, { onLogRun: (r, firstId) => runs.push([Array.from({ length: r.ends.length }, (_, i) => r.bytes.toString('utf8', i ? r.ends[i - 1]! + 1 : 0, r.ends[i])), firstId]) })
    events.appendRun(run('web_1-1', 1, ['a', 'b', 'c'])) // ids 2-4
    events.append({ type: 'application', state: 'stopping' }) // id 5
    expect(plain.map((e) => [e.id, e.type === 'log' ? `${e.line.seq}:${e.line.text}` : e.type])).toEqual([
      [2, '1:a'],
      [3, '2:b'],
      [4, '3:c'],
      [5, 'application'],
    ])
    expect(runs).toEqual([[['a', 'b', 'c'], 2]])
    expect(events.latestId).toBe(5)
  })

  it('replays from the middle of a run', () => {
    const events = new EventLog()
    events.appendRun(run('web_1-1', 1, numbered(1, 4))) // ids 1-4
    const seen: string[] = []
    events.subscribe((e) => seen.push(`${e.id}:${e.type === 'log' ? e.line.text : e.type}`), { after: 2 })
    expect(seen).toEqual(['3:l3', '4:l4'])
  })

  it('counts the lines of a run past the capacity as missed, and replays the rest', () => {
    const events = new EventLog(3)
    events.appendRun(run('web_1-1', 1, numbered(1, 5))) // ids 1-5, only 3-5 within the capacity
    const missed: [number, number][] = []
    const seen: number[] = []
    events.subscribe((e) => seen.push(e.id), { after: 0, onMissed: (first, last) => missed.push([first, last]) })
    expect(missed).toEqual([[1, 2]])
    expect(seen).toEqual([3, 4, 5])
  })

  it('drops the oldest runs past the size bound, keeps other events, and says which ids are gone', () => {
    const events = new EventLog(100, 10)
    events.appendRun(run('a', 1, ['aaaa', 'bbbb'])) // ids 1-2, 8 characters
    events.append({ type: 'application', state: 'running' }) // id 3
    events.appendRun(run('b', 1, ['cccc'])) // id 4: 12 characters, so ids 1-2 go
    expect(events.since(0).map((e) => e.id)).toEqual([3, 4])
    const missed: [number, number][] = []
    events.subscribe(() => {}, { after: 0, onMissed: (first, last) => missed.push([first, last]) })
    expect(missed).toEqual([[1, 2]])
  })
})

describe('LogBuffer ring of bytes', () => {
  it('keeps lines whole when they wrap around the end of its buffer, across many runs', () => {
    const log = new LogBuffer('web', 'web_1-1', 50)
    const all: string[] = []
    for (let r = 0; r < 200; r++) {
      const lines = Array.from({ length: 1 + (r % 7) }, (_, i) => `run ${r} line ${i} ${'é'.repeat((r * 13 + i) % 40)}`)
      all.push(...lines)
      log.pushLines(r % 2 ? 'stderr' : 'stdout', batch(lines), r)
      expect(log.lines().map((l) => l.text)).toEqual(all.slice(-50))
    }
    expect(log.dropped).toBe(all.length - 50)
    expect(log.textLength).toBe(all.slice(-50).reduce((n, l) => n + Buffer.byteLength(l), 0))
  })
})

describe('EventLog ring of bytes', () => {
  it('replays the kept runs exactly while their bytes wrap around its buffer', () => {
    const events = new EventLog(10_000, 300)
    const sent: { id: number; text: string }[] = []
    let id = 0
    for (let r = 0; r < 300; r++) {
      const lines = Array.from({ length: 1 + (r % 5) }, (_, i) => `r${r}.${i} ${'€'.repeat((r + i) % 9)}`)
      events.appendRun({ service: 'web', replica: 'web_1-1', stream: 'stdout', time: r, firstSeq: id + 1, ...batch(lines) })
      for (const text of lines) sent.push({ id: ++id, text })
      const replayed = events.since(0).map((e) => ({ id: e.id, text: e.type === 'log' ? e.line.text : '' }))
      expect(replayed.length).toBeGreaterThan(0)
      expect(replayed).toEqual(sent.slice(sent.length - replayed.length))
    }
  })
})
