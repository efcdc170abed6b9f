// `micronetes run [app.yaml]`: runs an application headless with its console log, the HTTP
// API and the web dashboard, until Ctrl-C or SIGTERM stops it cleanly (a second Ctrl-C forces).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { formatProblem } from '../../src-shared/problems'
import { findAppFile } from '../core/config/find-app-file'
import { loadApplication } from '../core/config/load-application'
import { ReplicaLogFiles } from '../core/logs/log-files'
import { createRuntime } from '../core/runtime'
import { Session } from '../core/session'
import { startApiServer, type ApiServer } from '../api/server'
import type { ParsedCommand } from './command-line'
import { ConsoleOutput, stdoutSink } from './console-output'
import { ConsoleReporter, mappingLines } from './console-reporter'

interface RunOptions {
  port?: string
  dashboard: boolean
  token?: string
  /** false with --no-reload */
  reload: boolean
  logDir?: string
  logFileSize?: string
}

/** how long the console may take to print its last lines before micronetes run exits */
const CONSOLE_DRAIN_MS = 2000
/** what a second Ctrl-C waits for the killed replicas before leaving anyway */
const FORCE_EXIT_MS = 1000

/** "10MB", "512k", "1048576": a size in bytes */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim())
  if (!match) throw new Error(`--log-file-size ${text}: not a size (say 10MB, 512kB or a number of bytes)`)
  const unit = (match[2] ?? 'b').toLowerCase()[0]!
  const bytes = Math.floor(Number(match[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[unit]!)
  if (bytes < 1024) throw new Error(`--log-file-size ${text}: at least 1 kB`)
  return bytes
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port ${text}: not a port number (0-65535)`)
  return port
}

async function run(file: string, services: string[], options: RunOptions): Promise<number> {
  const output = new ConsoleOutput(stdoutSink())
  try {
    return await runWith(file, services, options, output)
  } finally {
    // the last lines reach a terminal before exiting, unless it is paused (Ctrl-S)
    await output.close(CONSOLE_DRAIN_MS)
  }
}

async function runWith(file: string, services: string[], options: RunOptions, output: ConsoleOutput): Promise<number> {
  // a closed terminal (SIGHUP) must not turn the graceful stop into a crash on EPIPE / EIO
  process.stdout.on('error', () => {})
  process.stderr.on('error', () => {})
  const out = (line: string): void => output.line(line)
  const reporter = new ConsoleReporter(out, (prefix, batch) => output.lines(prefix, batch.bytes, batch.ends), (line) => output.line(line, true))
  // a folder means the app.yaml (or Tye's tye.yaml) in it
  const found = findAppFile(file)
  if (!found.ok) {
    process.stderr.write(`micronetes run: ${found.message}${file === '.' ? ' (give the path of an app.yaml, or run where one is)' : ''}\n`)
    return 1
  }
  file = found.file
  if (!existsSync(file)) {
    process.stderr.write(`micronetes run: ${file} not found\n`)
    return 1
  }
  // Tye's dashboardPort: the file's choice of API port, unless --port says otherwise; read
  // ahead of the start because the API is up before the application is
  const apiPort = parsePort(options.port) ?? (await dashboardPortOf(file))
  // services named after the file: only those run, with what they depend on (names without case, as in the file)
  const named = services.map((s) => s.toLowerCase())
  const session = new Session({ desktop: false, runtime: createRuntime(), watchFiles: options.reload !== false, ...(named.length > 0 ? { orchestrator: { services: named } } : {}) })
  session.subscribe((event) => reporter.onEvent(event), { onLogRun: (run) => reporter.onLogRun(run) })
  const logFiles = options.logDir ? new ReplicaLogFiles(resolve(options.logDir), options.logFileSize ? { maxBytes: parseSize(options.logFileSize) } : {}) : undefined
  if (logFiles) {
    session.subscribe(
      (event) => {
        if (event.type === 'log') logFiles.line(event.line)
      },
      { onLogRun: (run) => logFiles.run(run) },
    )
  }

  let api: ApiServer | undefined
  try {
    // Tye's clients shut the host down with DELETE /api/v1/control: the same as Ctrl-C
    api = await startApiServer({ session, onShutdown: () => shutdown('SIGTERM'), dashboardDir: options.dashboard ? undefined : null, ...(apiPort !== undefined ? { port: apiPort } : {}), ...(options.token ? { token: options.token } : {}) })
    session.setApiUrl(api.url)
  } catch (err) {
    process.stderr.write(`micronetes run: cannot start the API server: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }

  let stopping: Promise<number> | undefined
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (signal === 'SIGINT') {
        reporter.printNow('WRN', 'Forcing shutdown: killing every replica now')
        session.forceStop()
        setTimeout(() => process.exit(130), FORCE_EXIT_MS).unref()
      }
      return
    }
    reporter.release()
    reporter.printNow('INF', 'Shutting down: stopping every replica')
    stopping = (async () => {
      await session.close()
      await api?.close()
      await logFiles?.close()
      reporter.printNow('INF', 'Stopped')
      return 0
    })()
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  process.on('SIGHUP', shutdown)

  const info = await session.open(file)
  for (const warning of info.warnings) process.stderr.write(formatProblem(warning) + '\n')
  if (info.state === 'error') {
    reporter.release()
    if (info.problems.length > 0) for (const p of info.problems) process.stderr.write(formatProblem(p) + '\n')
    else process.stderr.write(`micronetes run: ${info.message ?? 'the application did not start'}\n`)
    await api.close()
    return 1
  }
  if (!stopping) {
    const services = session.current()?.services() ?? []
    for (const line of mappingLines(services)) reporter.printNow('INF', line)
    const { proxyFallback } = session.info()
    if (proxyFallback) reporter.printNow('WRN', `Proxy: ${proxyFallback}; it runs on Node threads instead`)
    reporter.printNow('INF', `API server running on ${api.url}`)
    if (options.dashboard) reporter.printNow('INF', `Dashboard running on ${api.url}/`)
    reporter.release()
  }
  return await new Promise<number>((done) => {
    const wait = setInterval(() => {
      if (stopping) {
        clearInterval(wait)
        void stopping.then(done)
      }
    }, 50)
  })
}

async function dashboardPortOf(file: string): Promise<number | undefined> {
  const loaded = await loadApplication(file).catch(() => undefined)
  return loaded?.ok ? loaded.application.dashboardPort : undefined
}

/** exits the process when done: the replicas' pipes, timers and sockets are not waited for */
export async function runCommand(parsed: ParsedCommand): Promise<number> {
  let code: number
  try {
    const options = { port: parsed.value('port'), dashboard: parsed.flag('dashboard'), token: parsed.value('token'), reload: parsed.flag('reload'), logDir: parsed.value('log-dir'), logFileSize: parsed.value('log-file-size') }
    code = await run(parsed.argument('app.yaml')!, parsed.list('services'), options)
  } catch (err) {
    process.stderr.write(`micronetes run: ${err instanceof Error ? err.message : String(err)}\n`)
    code = 1
  }
  process.exit(code)
}
