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
