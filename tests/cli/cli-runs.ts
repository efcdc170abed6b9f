// The built CLI as the CLI tests run it, and what its runs leave behind to clean up after
// each test: CLI processes, the replicas they printed, app.yaml folders.
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { killIfAlive } from '../core/orchestrator-helpers'

export const cli = join(import.meta.dirname, '..', '..', 'bin', 'micronetes.js')

export interface CliRuns {
  /** CLI processes, killed if a test leaves them running */
  readonly children: ChildProcess[]
  /** replica pids seen in a CLI's output, killed if still alive */
  readonly pids: Set<number>
  /** an app.yaml with this text, in a temp folder removed after the test */
  appFile(yaml: string): string
}

/** call at the top of a test file: cleans up after each of its tests */
export function cliRuns(): CliRuns {
  const children: ChildProcess[] = []
  const pids = new Set<number>()
  const folders: string[] = []
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    killIfAlive(pids)
    pids.clear()
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
  })
  return {
    children,
    pids,
    appFile(yaml: string): string {
      const folder = mkdtempSync(join(tmpdir(), 'micronetes-run-'))
      folders.push(folder)
      const file = join(folder, 'app.yaml')
      writeFileSync(file, yaml)
      return file
    },
  }
}
