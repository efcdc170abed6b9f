import type { ChildProcess } from 'node:child_process'

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/** Signals the child's process group and waits for it to exit, escalating to SIGKILL. */
export async function stopGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (exited(child) || child.pid === undefined) return
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig)
    } catch {
      // already gone
    }
  }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), graceMs)
  await done
  clearTimeout(timer)
}

const running = new Set<ChildProcess>()
let exitHookInstalled = false

/**
 * Remembers a detached server so it dies with the test process even when a hook timed out
 * before the test could stop it: detached children would otherwise outlive the test run.
 */
export function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const server of running) {
        try {
          if (server.pid !== undefined && !exited(server)) process.kill(-server.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    })
  }
  running.add(child)
  child.once('exit', () => running.delete(child))
}
