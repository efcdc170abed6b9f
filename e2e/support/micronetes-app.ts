// A real `micronetes run` on a private copy of an application, on free ports, stopped and
// removed after the test whatever happened in it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')

/** the CLI under test; another build can be tested by pointing this at it */
const cliPath = process.env.MICRONETES_E2E_CLI ?? join(repoRoot, 'bin/micronetes.cjs')

export interface RunningApp {
  /** the API and dashboard, e.g. http://127.0.0.1:41234 */
  url: string
  /** the app.yaml the CLI runs (a copy: tests may rewrite it) */
  appFile: string
  dir: string
  /** what the CLI printed so far */
  output(): string
  /** POST a contract command, as the dashboard does */
  command<T = unknown>(name: string, input?: object): Promise<T>
  get<T = unknown>(path: string): Promise<T>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/**
 * examples/app.yaml with its binding port moved to a free one. The services stay where they
 * are (their working directories made absolute), so they still find the repository's packages.
 */
export async function copyExample(dir: string): Promise<{ appFile: string; webPort: number }> {
  const examples = join(repoRoot, 'examples')
  const webPort = await freePort()
  const text = await readFile(join(examples, 'app.yaml'), 'utf8')
  const rewritten = text
    .replace(/port:\s*5005\b/, `port: ${webPort}`)
    .replace(/^(\s*workingDirectory:\s*)(\S+)\s*$/gm, (_, key: string, folder: string) => `${key}${JSON.stringify(resolve(examples, folder))}`)
  if (!rewritten.includes(`port: ${webPort}`)) throw new Error('examples/app.yaml: no "port: 5005" binding to move to a free port')
  const appFile = join(dir, 'app.yaml')
  await writeFile(appFile, rewritten)
  return { appFile, webPort }
}

export interface StartOptions {
  /** write the application into dir and return its app.yaml; the example by default */
  prepare?(dir: string): Promise<string>
  /** variables added to micronetes run's environment */
  env?: NodeJS.ProcessEnv
}

export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-e2e-'))
  let child: ChildProcess | undefined
  try {
    const appFile = options.prepare ? await options.prepare(dir) : (await copyExample(dir)).appFile
    child = spawn(process.execPath, [cliPath, 'run', appFile, '--port', '0'], {
      cwd: dir,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      // its own process group, so stop() reaches the replicas even if the CLI misbehaves
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const url = await waitForApiUrl(child, () => output)
    const running = child
    return {
      url,
      appFile,
      dir,
      output: () => output,
      command: (name, input = {}) => postCommand(url, name, input),
      get: (path) => getJson(url, path),
      stop: () => stopApp(running, dir),
    }
  } catch (err) {
    if (child) await stopApp(child, dir)
    else await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function waitForApiUrl(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const match = /API server running on (http:\/\/[^\s]+)/.exec(output())
    if (match?.[1]) return match[1].replace(/\/$/, '')
    if (child.exitCode !== null) throw new Error(`micronetes run exited with ${child.exitCode}:\n${output()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`micronetes run printed no API URL within 30 s:\n${output()}`)
}

async function stopApp(child: ChildProcess, dir: string): Promise<void> {
  const pid = child.pid
  if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    signalGroup(pid, 'SIGTERM')
    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 15_000))])
    if (timedOut) {
      signalGroup(pid, 'SIGKILL')
      await exited
    }
  }
  // replicas run in process groups of their own: whatever the CLI left is its bug, but must not
  // outlive the test run; the orchestrator's orphan guard is tested elsewhere
  await rm(dir, { recursive: true, force: true })
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

async function postCommand<T>(url: string, name: string, input: object): Promise<T> {
  const response = await fetch(`${url}/api/v1/commands/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as { result?: T; message?: string }
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} ${body.message ?? ''}`)
  return body.result as T
}

async function getJson<T>(url: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`)
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`)
  return (await response.json()) as T
}

/**
 * A Playwright fixture: the application whose app.yaml is these lines (worked out when the
 * fixture starts, so free ports are fresh), running under micronetes run for one test.
 */
export function appYamlFixture(lines: () => string[] | Promise<string[]>) {
  // eslint-disable-next-line no-empty-pattern
  return async ({}, use: (app: RunningApp) => Promise<void>): Promise<void> => {
    const text = (await lines()).join('\n')
    const app = await startApp({
      prepare: async (dir) => {
        const file = join(dir, 'app.yaml')
        await writeFile(file, text)
        return file
      },
    })
    try {
      await use(app)
    } finally {
      await app.stop()
    }
  }
}
