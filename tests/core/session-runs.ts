// What the session tests leave behind to clean up after each test: open sessions, replica pids
// seen, temp folders. Call sessionRuns() at the top of a test file.
import { rmSync } from 'node:fs'
import { afterEach } from 'vitest'
import type { Session } from '../../src-main/core/session'
import { killIfAlive } from './orchestrator-helpers'

export interface SessionRuns {
  /** closed after each test */
  readonly sessions: Session[]
  /** killed after each test if still alive */
  readonly pids: Set<number>
  /** removed after each test */
  readonly folders: string[]
}

export function sessionRuns(): SessionRuns {
  const runs: SessionRuns = { sessions: [], pids: new Set(), folders: [] }
  afterEach(async () => {
    await Promise.all(runs.sessions.splice(0).map((s) => s.close()))
    killIfAlive(runs.pids)
    runs.pids.clear()
    for (const f of runs.folders.splice(0)) rmSync(f, { recursive: true, force: true })
  })
  return runs
}
