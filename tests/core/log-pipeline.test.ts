// A real replica floods its stdout: every line reaches a plain event subscriber (as the SSE
// stream and the desktop app are) in order with increasing ids, a run subscriber (as the
// console is) gets the same lines, and the replica's log keeps the newest 5,000.
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lineOf } from '../../src-main/core/line-splitter'
import { Session } from '../../src-main/core/session'
import { waitFor } from './orchestrator-helpers'
import { sessionRuns } from './session-runs'

const { sessions, pids, folders } = sessionRuns()

const LINES = 20_000

describe('log pipeline', () => {
  it('delivers every line of a flood to both kinds of subscriber and keeps the newest in the replica log', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-log-pipeline-'))
    folders.push(folder)
    writeFileSync(join(folder, 'app.yaml'), `name: flood
services:
  - name: flood
    executable: sh
    args: ["-c", "seq 1 ${LINES} | sed 's/^/line /'; printf 'é€ last without newline'; exec sleep 60"]
`)
    const session = new Session()
    sessions.push(session)
    const plain: { id: number; seq: number; text: string }[] = []
    const fromRuns: string[] = []
    const runIds: number[] = []
    session.subscribe((e) => {
      if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
      if (e.type === 'log' && e.line.stream === 'stdout') plain.push({ id: e.id, seq: e.line.seq, text: e.line.text })
    })
    session.subscribe(() => {}, {
      onLogRun: (run, firstId) => {
        runIds.push(firstId)
        for (let i = 0; i < run.ends.length; i++) fromRuns.push(lineOf(run, i))
      },
    })
    await session.open(join(folder, 'app.yaml'))
    // the last line has no newline: it arrives once the replica's stdout closes, so stop it
    await waitFor('the flood', () => plain.length >= LINES, 20_000)
    await session.current()?.stopService('flood')
    await waitFor('the last line', () => plain.length === LINES + 1, 5_000)

    expect(plain.map((l) => l.text)).toEqual([...Array.from({ length: LINES }, (_, i) => `line ${i + 1}`), 'é€ last without newline'])
    expect(plain.map((l) => l.seq)).toEqual(plain.map((_, i) => plain[0]!.seq + i))
    // other events (logs-dropped, status) take ids in between: increasing is what holds
    expect(plain.every((l, i) => i === 0 || l.id > plain[i - 1]!.id)).toBe(true)
    expect(fromRuns).toEqual(plain.map((l) => l.text))
    // the lines came in runs of many, not one call per line
    expect(runIds.length).toBeLessThan(LINES / 10)

    const kept = session.handlers.logs({ service: 'flood' }) as { text: string; stream: string }[]
    const keptStdout = kept.filter((l) => l.stream === 'stdout').map((l) => l.text)
    expect(keptStdout.slice(-2)).toEqual([`line ${LINES}`, 'é€ last without newline'])
    expect(kept.length).toBe(5000)
  }, 40_000)
})
