import { describe, expect, it } from 'vitest'
import type { ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import { applyStatusEvent, servicesFrom } from '../../src-renderer/state/apply-event'

/** the fixture's names end in the ordinal they are given */
function replica(name: string, state: ReplicaStatus['state'] = 'ready'): ReplicaStatus {
  return { name, service: name.split('_')[0] ?? '', ordinal: Number(name.slice(name.lastIndexOf('-') + 1)), state, ports: [], exitCode: null, restarts: 0, commandLine: [] }
}

function service(name: string, replicas: ReplicaStatus[]): ServiceStatus {
  return { name, kind: 'executable', replicas: replicas.length, state: 'running', restarts: 0, bindings: [], args: [], replicaStatuses: replicas }
}

describe('applyStatusEvent', () => {
  const start = servicesFrom([service('web', [replica('web_a-1'), replica('web_a-2')]), service('worker', [])])

  it('replaces a service with the full status an event carries, keeping the order', () => {
    const next = applyStatusEvent(start, { type: 'service', service: service('web', [replica('web_a-1')]) })
    expect(next.order).toEqual(['web', 'worker'])
    expect(next.byName.web?.replicaStatuses.map((r) => r.name)).toEqual(['web_a-1'])
  })

  it('adds a service it had not seen at the end', () => {
    expect(applyStatusEvent(start, { type: 'service', service: service('db', []) }).order).toEqual(['web', 'worker', 'db'])
  })

  it('updates a replica in place and inserts new ones in number order', () => {
    let next = applyStatusEvent(start, { type: 'replica', replica: replica('web_a-2', 'crashed') })
    expect(next.byName.web?.replicaStatuses.map((r) => `${r.name}:${r.state}`)).toEqual(['web_a-1:ready', 'web_a-2:crashed'])
    next = applyStatusEvent(next, { type: 'replica', replica: replica('web_a-10', 'starting') })
    next = applyStatusEvent(next, { type: 'replica', replica: replica('web_a-3', 'starting') })
    expect(next.byName.web?.replicaStatuses.map((r) => r.name)).toEqual(['web_a-1', 'web_a-2', 'web_a-3', 'web_a-10'])
  })

  it('orders replicas by the ordinal their status carries, not by their name', () => {
    const next = applyStatusEvent(start, { type: 'replica', replica: { ...replica('web_a-9'), ordinal: 0 } })
    expect(next.byName.web?.replicaStatuses.map((r) => r.name)).toEqual(['web_a-9', 'web_a-1', 'web_a-2'])
  })

  it('removes a replica', () => {
    const next = applyStatusEvent(start, { type: 'replica-removed', service: 'web', replica: 'web_a-2' })
    expect(next.byName.web?.replicaStatuses.map((r) => r.name)).toEqual(['web_a-1'])
  })

  it('leaves the view untouched by log events and by replicas of unknown services', () => {
    expect(applyStatusEvent(start, { type: 'log', line: { seq: 1, time: 0, service: 'web', replica: 'web_a-1', stream: 'stdout', text: 'hi' } })).toBe(start)
    expect(applyStatusEvent(start, { type: 'replica', replica: replica('db_x-1') })).toBe(start)
  })
})
