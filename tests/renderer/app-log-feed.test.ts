// The application log's feed: every service's backlog merged in time order, live lines that
// raced the backlogs placed among them, filters by service and replica.
import { describe, expect, it } from 'vitest'
import { mergeByTime, openAppLogFeed } from '../../src-renderer/logs/app-log-feed'
import { publishLog } from '../../src-renderer/logs/log-bus'
import type { LogLine } from '../../src-shared/status'
import { clientUnderControl, settle } from './client-under-control'

function line(service: string, replica: string, seq: number, time: number): LogLine {
  return { seq, time, service, replica, stream: 'stdout', text: `${replica} ${seq}` }
}

describe('openAppLogFeed', () => {
  it('merges the backlogs by time and puts a live line that raced them in its place', async () => {
    const remote = clientUnderControl()
    const shown: string[] = []
    const close = openAppLogFeed(remote.client, ['a', 'b'], {}, { lines: (lines) => shown.push(...lines.map((l) => l.text)), dropped: () => {}, failed: () => {} })
    // a's backlog was read before a-1 wrote line 3 (time 25); b's after it
    publishLog({ kind: 'line', line: line('a', 'a-1', 3, 25) })
    remote.answer('logs', [line('a', 'a-1', 1, 10), line('a', 'a-1', 2, 20)], 'oldest')
    remote.answer('logs', [line('b', 'b-1', 1, 15), line('b', 'b-1', 2, 30)], 'oldest')
    await settle()
    expect(shown).toEqual(['a-1 1', 'b-1 1', 'a-1 2', 'a-1 3', 'b-1 2'])
    // live lines go after; ones already shown are not repeated
    publishLog({ kind: 'line', line: line('b', 'b-1', 2, 30) })
    publishLog({ kind: 'line', line: line('b', 'b-1', 3, 40) })
    expect(shown.slice(5)).toEqual(['b-1 3'])
    close()
  })

  it('keeps only the service and replica asked for', async () => {
    const remote = clientUnderControl()
    const shown: string[] = []
    const close = openAppLogFeed(remote.client, ['a', 'b'], { service: 'b', replica: 'b-2' }, { lines: (lines) => shown.push(...lines.map((l) => l.text)), dropped: () => {}, failed: () => {} })
    remote.answer('logs', [line('b', 'b-2', 1, 10)])
    await settle()
    publishLog({ kind: 'line', line: line('a', 'a-1', 1, 20) })
    publishLog({ kind: 'line', line: line('b', 'b-1', 1, 20) })
    publishLog({ kind: 'line', line: line('b', 'b-2', 2, 20) })
    expect(shown).toEqual(['b-2 1', 'b-2 2'])
    close()
  })

  it('sorts by time and keeps each list in its own order within a time', () => {
    const merged = mergeByTime([[line('a', 'a-1', 1, 5), line('a', 'a-1', 2, 5)], [line('b', 'b-1', 1, 1)]], 10)
    expect(merged.map((l) => l.text)).toEqual(['b-1 1', 'a-1 1', 'a-1 2'])
  })
})
