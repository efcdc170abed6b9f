// Child processes the benchmarks start (nginx, haproxy, replicas): each in its own process
// group, all stopped when the bench ends, however it ends.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'

const running = new Set<ChildProcess>()

export interface Started {
  child: ChildProcess
  /** the last 2000 characters it wrote to stderr */
  stderrTail(): string
  stop(): Promise<void>
}

export function startProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000) })
  running.add(child)
  child.once('exit', () => running.delete(child))
  const exited = once(child, 'exit')
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      signalGroup(child, 'SIGTERM')
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
      // workers of a group leader can outlive it by a moment
      signalGroup(child, 'SIGKILL')
    },
    stderrTail: () => stderr,
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

export function stopAllSync(): void {
  for (const child of running) signalGroup(child, 'SIGKILL')
  running.clear()
}

process.once('exit', stopAllSync)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllSync()
    process.exit(130)
  })
}

/** runs a command to completion and returns its stdout; rejects with its stderr on failure */
export function run(command: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`))
      else resolve(stdout)
    })
  })
}

export function commandExists(command: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${command}`]).then(() => true, () => false)
}
