// What the orchestrator tests leave behind to clean up after each test: orchestrators (stopped),
// the replicas they started (killed if still alive), temp folders. Call orchestratorRuns() at
// the top of a test file.
import { rm } from 'node:fs/promises'
import { afterEach } from 'vitest'
import type { Orchestrator } from '../../src-main/core/orchestrator'
import { killIfAlive } from './orchestrator-helpers'

export interface OrchestratorRuns {
  /** stopped after the test, its replicas' pids noted to be killed if they outlive it */
  track(orchestrator: Orchestrator): Orchestrator
  /** killed after each test if still alive: every replica track() saw, and any a test adds */
  readonly pids: Set<number>
  /** removed after each test */
  readonly folders: string[]
}

export function orchestratorRuns(): OrchestratorRuns {
  const running: Orchestrator[] = []
  const pids = new Set<number>()
  const folders: string[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map((o) => o.stop()))
    killIfAlive(pids)
    pids.clear()
    await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })))
  })
  return {
    pids,
    folders,
    track(orchestrator) {
      running.push(orchestrator)
      orchestrator.subscribe((e) => {
        if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
      })
      return orchestrator
    },
  }
}
