// Labels are how Micronetes recognises its own containers and networks on an engine it shares
// with everything else: by application (its app.yaml path), service, replica and run.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Application } from '../../../src-shared/app-model'
import { readStat } from '../proc'

export const LABEL = {
  app: 'io.micronetes.app',
  appName: 'io.micronetes.app-name',
  service: 'io.micronetes.service',
  replica: 'io.micronetes.replica',
  run: 'io.micronetes.run',
  /** the machine and process that ran it: a run whose process is gone is a leftover */
  host: 'io.micronetes.host',
  pid: 'io.micronetes.pid',
  /** the process's start time (Linux clock ticks): with the pid, it survives pid reuse */
  pidStart: 'io.micronetes.pid-start',
} as const

/** one run of one application by one Micronetes process */
export interface RunIdentity {
  runId: string
  host: string
  pid: number
  /** undefined where /proc does not say */
  pidStart?: number
}

export function newRun(): RunIdentity {
  const run: RunIdentity = { runId: randomBytes(4).toString('hex'), host: hostname(), pid: process.pid }
  const startTime = readStat(process.pid)?.startTime
  if (startTime !== undefined && Number.isFinite(startTime)) run.pidStart = startTime
  return run
}

export function runLabels(application: Application, run: RunIdentity): Record<string, string> {
  return {
    [LABEL.app]: application.source,
    [LABEL.appName]: application.name,
    [LABEL.run]: run.runId,
    [LABEL.host]: run.host,
    [LABEL.pid]: String(run.pid),
    ...(run.pidStart !== undefined ? { [LABEL.pidStart]: String(run.pidStart) } : {}),
  }
}

/** an engine list filter for everything of one application */
export function applicationFilter(application: Application): { label: string[] } {
  return { label: [`${LABEL.app}=${application.source}`] }
}
