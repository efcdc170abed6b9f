// Launching one replica straight through a runner, the way the orchestrator does, keeping
// every line it logs so a test can read them.
import type { Application, Service } from '../../../src-shared/app-model'
import type { ReplicaHandle, ReplicaLaunch, ReplicaRunner } from '../../../src-main/core/runner'
import { eachLine } from '../each-line'

export interface LoggedLine {
  stream: 'stdout' | 'stderr' | 'system'
  text: string
}

export interface Launched {
  handle: ReplicaHandle
  lines: LoggedLine[]
}

export function replicaName(service: Service, ordinal: number): string {
  return `${service.name}_test-${ordinal}`
}

export function launchRequest(application: Application, service: Service, ordinal: number, ports: number[], lines: LoggedLine[], env: Record<string, string> = {}): ReplicaLaunch {
  const name = replicaName(service, ordinal)
  return {
    application,
    service,
    replicaName: name,
    ordinal,
    ports,
    env: { APP_INSTANCE: name, ...env },
    onLines: eachLine((stream, text) => lines.push({ stream, text })),
  }
}

export async function launch(runner: ReplicaRunner, application: Application, service: Service, ordinal: number, ports: number[] = [], env: Record<string, string> = {}): Promise<Launched> {
  const lines: LoggedLine[] = []
  const handle = await runner.launch(launchRequest(application, service, ordinal, ports, lines, env))
  return { handle, lines }
}

export function texts(lines: LoggedLine[], stream?: LoggedLine['stream']): string[] {
  return lines.filter((line) => stream === undefined || line.stream === stream).map((line) => line.text)
}
