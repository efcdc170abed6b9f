// The built CLI as the CLI tests run it, and what its runs leave behind to clean up after
// each test: CLI processes, the replicas they printed, app.yaml folders.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { killIfAlive } from '../core/orchestrator-helpers'

export const cli = join(import.meta.dirname, '..', '..', 'bin', 'micronetes.cjs')

/** how a CLI run that was waited for ended */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** runs the built CLI to its end, as a user at a shell would; nodeOptions go before the script */
export function runCli(args: string[], options: { cwd?: string; nodeOptions?: string[] } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [...(options.nodeOptions ?? []), cli, ...args], { cwd: options.cwd ?? process.cwd(), timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
    })
  })
}

export interface CliRuns {
  /** CLI processes, killed if a test leaves them running */
  readonly children: ChildProcess[]
  /** replica pids seen in a CLI's output, killed if still alive */
  readonly pids: Set<number>
  /** an app.yaml with this text, in a temp folder removed after the test */
  appFile(yaml: string): string
  /** `micronetes run ARGS` started (env added to this process's), its output collected and its replicas' pids noted */
  startRun(args: string[], env?: NodeJS.ProcessEnv): RunningCli
}

export interface RunningCli {
  child: ChildProcess
  /** stdout and stderr so far, interleaved as they came */
  output(): string
  /** its exit code, once it has closed */
  exit: Promise<number | null>
  /** SIGTERM: the graceful stop */
  stop(): void
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
    startRun(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
      const child = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
      children.push(child)
      let text = ''
      child.stdout!.on('data', (c: Buffer) => {
        text += c.toString()
        for (const m of text.matchAll(/on process id (\d+)/g)) pids.add(Number(m[1]))
      })
      child.stderr!.on('data', (c: Buffer) => (text += c.toString()))
      const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
      return { child, output: () => text, exit, stop: () => child.kill('SIGTERM') }
    },
  }
}
