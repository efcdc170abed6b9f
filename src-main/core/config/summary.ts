// The one line `micronetes validate` prints for a good file: "2 services, 5 replicas, ports 5005".
import type { Application } from '../../../src-shared/app-model'

export interface ApplicationSummary {
  services: number
  /** replicas Micronetes runs (external services run none) */
  replicas: number
  /** binding ports given in the file, in order */
  ports: number[]
  /** bindings whose port is assigned at start */
  assignedPorts: number
}

export function summarize(application: Application): ApplicationSummary {
  const run = application.services.filter((s) => s.kind !== 'external')
  const bindings = application.services.flatMap((s) => s.bindings)
  return {
    services: application.services.length,
    replicas: run.reduce((sum, s) => sum + s.replicas, 0),
    ports: bindings.flatMap((b) => (b.port === undefined ? [] : [b.port])),
    assignedPorts: bindings.filter((b) => b.port === undefined && !b.connectionStringOnly).length,
  }
}

export function summaryLine(summary: ApplicationSummary): string {
  const parts = [plural(summary.services, 'service'), plural(summary.replicas, 'replica')]
  if (summary.ports.length > 0) parts.push(`${summary.ports.length === 1 ? 'port' : 'ports'} ${summary.ports.join(', ')}`)
  if (summary.assignedPorts > 0) parts.push(`${plural(summary.assignedPorts, 'port')} assigned at start`)
  if (summary.ports.length === 0 && summary.assignedPorts === 0) parts.push('no ports')
  return parts.join(', ')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
