// Runs a service's build with its output in the service's log (as replica "<service>_build"),
// and keeps the outcome on the service for the API and the dashboard.
import type { Application } from '../../../src-shared/app-model'
import { singleLine } from '../line-splitter'
import { LogBuffer } from '../log-buffer'
import type { LogRun } from '../logs/log-run'
import type { ServiceEntry } from '../service-entry'
import { runBuild } from './build-command'

const BUILD_LOG_LINES = 2000
const BUILD_LOG_CHARS = 256 * 1024

export function buildLogName(service: string): string {
  return `${service}_build`
}

/** true when the build passed (or there is none); the service's state is told before and after */
export async function buildService(application: Application, entry: ServiceEntry, onRun: (run: LogRun) => void, emitService: () => void, parentEnv?: NodeJS.ProcessEnv): Promise<boolean> {
  const { service } = entry
  if (!service.build) return true
  entry.buildLogs ??= new LogBuffer(service.name, buildLogName(service.name), BUILD_LOG_LINES, BUILD_LOG_CHARS)
  const logs = entry.buildLogs
  // its log lines go the road a replica's do, in runs
  const say = (text: string): void => onRun(logs.pushLines('system', singleLine(text)))
  entry.lastBuild = { state: 'building', at: Date.now() }
  emitService()
  say(`build: ${service.build.join(' ')}`)
  const started = Date.now()
  const result = await runBuild(application, service, (stream, batch) => onRun(logs.pushLines(stream, batch)), parentEnv)
  if (result.ok) {
    say(`build succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    entry.lastBuild = { state: 'succeeded', at: Date.now() }
  } else {
    say(`build failed: ${result.reason}`)
    entry.lastBuild = { state: 'failed', at: Date.now(), message: [`build failed: ${result.reason}`, ...result.tail].join('\n') }
  }
  emitService()
  return result.ok
}
