import { describe, expect, it } from 'vitest'
import { openLogFeed } from '../../src-renderer/logs/log-feed'
import { publishLog } from '../../src-renderer/logs/log-bus'
import type { LogLine } from '../../src-shared/status'
import { clientUnderControl, logLine, settle } from './client-under-control'

function collector() {
  const shown: string[] = []
  const dropped: string[] = []
  const failures: string[] = []
  return {
    shown,
    dropped,
    failures,
    target: {
      lines: (lines: LogLine[]) => shown.push(...lines.map((l) => `${l.replica}#${l.seq}`)),
      dropped: (replica: string, count: number) => dropped.push(`${replica}:${count}`),
      failed: (message: string) => failures.push(message),
    },
  }
}

describe('openLogFeed', () => {
  it('shows the backlog first, then only the live lines newer than it, per replica', async () => {
    const remote = clientUnderControl()
    const out = collector()
    const close = openLogFeed(remote.client, 'web', undefined, out.target)
    // live lines race the backlog: some of them are in it already
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 2) })
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 3) })
    publishLog({ kind: 'line', line: logLine('web', 'web_a-2', 1) })
    expect(out.shown).toEqual([])
    remote.answer('logs', [logLine('web', 'web_a-1', 1), logLine('web', 'web_a-1', 2)])
    await settle()
    expect(out.shown).toEqual(['web_a-1#1', 'web_a-1#2', 'web_a-1#3', 'web_a-2#1'])
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 3) })
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 4) })
    expect(out.shown.slice(-1)).toEqual(['web_a-1#4'])
    expect(out.shown).toHaveLength(5)
    close()
  })

  it('numbers a replica of the same name afresh after it was removed (scaled down, then up)', async () => {
    const remote = clientUnderControl()
    const out = collector()
    const close = openLogFeed(remote.client, 'web', undefined, out.target)
    remote.answer('logs', [logLine('web', 'web_a-2', 7)])
    await settle()
    publishLog({ kind: 'removed', service: 'web', replica: 'web_a-2' })
    publishLog({ kind: 'line', line: logLine('web', 'web_a-2', 1) })
    expect(out.shown).toEqual(['web_a-2#7', 'web_a-2#1'])
    close()
  })

  it('a replica tab shows only its replica, and its dropped counts', async () => {
    const remote = clientUnderControl()
    const out = collector()
    const close = openLogFeed(remote.client, 'web', 'web_a-1', out.target)
    remote.answer('logs', [])
    await settle()
    publishLog({ kind: 'line', line: logLine('web', 'web_a-2', 1) })
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 1) })
    publishLog({ kind: 'dropped', service: 'web', replica: 'web_a-2', count: 5 })
    publishLog({ kind: 'dropped', service: 'web', replica: 'web_a-1', count: 9 })
    expect(out.shown).toEqual(['web_a-1#1'])
    expect(out.dropped).toEqual(['web_a-1:9'])
    close()
  })

  it('says why when the backlog cannot be read, and still shows live lines', async () => {
    const remote = clientUnderControl()
    const out = collector()
    const close = openLogFeed(remote.client, 'web', undefined, out.target)
    remote.fail('logs', 'no service named web')
    await settle()
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 1) })
    expect(out.failures).toEqual(['no service named web'])
    expect(out.shown).toEqual(['web_a-1#1'])
    close()
  })

  it('stops at close, even with the backlog still on its way', async () => {
    const remote = clientUnderControl()
    const out = collector()
    const close = openLogFeed(remote.client, 'web', undefined, out.target)
    close()
    remote.answer('logs', [logLine('web', 'web_a-1', 1)])
    publishLog({ kind: 'line', line: logLine('web', 'web_a-1', 2) })
    await settle()
    expect(out.shown).toEqual([])
  })
})
