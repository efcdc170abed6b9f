// What the dashboard does with the events of issue 20: resource readings into their store
// (the figures loaded beside the picture), a notification's click, and toasts grouped.
import { beforeEach, describe, expect, it } from 'vitest'
import type { ResourceSample, ResourcesView } from '../../src-shared/resources'
import type { ReplicaStatus } from '../../src-shared/status'
import { connectDashboard } from '../../src-renderer/state/connect'
import { useNotices } from '../../src-renderer/state/notices-store'
import { useResources } from '../../src-renderer/state/resources-store'
import { useDashboard } from '../../src-renderer/state/store'
import { emptyServices } from '../../src-renderer/state/apply-event'
import { clientUnderControl, service, session, settle } from './client-under-control'

function figures(replica: string, cpuPercent: number, memoryBytes: number) {
  return { service: 'web', replica, cpuPercent, memoryBytes, restarts: 0, uptimeSeconds: 1, proxyConnections: 0, proxyActiveConnections: 0, proxyBytesIn: 0, proxyBytesOut: 0, proxyConnectionsPerSecond: 0, proxyBytesInPerSecond: 0, proxyBytesOutPerSecond: 0, ready: 1, readinessFailures: 0, livenessFailures: 0 }
}

function crashed(name: string): ReplicaStatus {
  return { name, service: 'web', ordinal: 1, state: 'crashed', ports: [], exitCode: 1, restarts: 1, commandLine: [], message: 'exited with code 1' }
}

describe('the dashboard and the running app', () => {
  beforeEach(() => {
    useDashboard.setState({ services: emptyServices, session: undefined, selectedService: undefined, view: 'services' })
    useResources.setState({ latest: {}, bindings: {}, trends: {}, sort: {} })
    useNotices.setState({ toasts: [] })
  })

  it('loads the figures so far, then adds each reading to the sparkline', async () => {
    const remote = clientUnderControl()
    const connection = connectDashboard(remote.client, { resyncNow: true })
    const view: ResourcesView = {
      intervalMs: 1000,
      idleIntervalMs: 5000,
      historyMs: 900_000,
      latest: { time: 2, replicas: [figures('web_1-1', 5, 100)], bindings: [] },
      history: [{ service: 'web', replica: 'web_1-1', time: [1, 2], cpuPercent: [4, 5], memoryBytes: [90, 100], bytesPerSecond: [0, 0] }],
    }
    remote.answer('session', session('a'))
    remote.answer('services', [service('web')])
    await settle()
    remote.answer('resources', view)
    await settle()
    expect(useResources.getState().trends['web_1-1']).toEqual({ cpu: [4, 5], memory: [90, 100] })
    const sample: ResourceSample = { time: 3, replicas: [figures('web_1-1', 50, 120)], bindings: [] }
    remote.emit({ type: 'resources', id: 9, sample })
    expect(useResources.getState().latest['web_1-1']?.cpuPercent).toBe(50)
    expect(useResources.getState().trends['web_1-1']).toEqual({ cpu: [4, 5, 50], memory: [90, 100, 120] })
    connection.close()
  })

  it('shows the service a notification was clicked for', async () => {
    const remote = clientUnderControl()
    const connection = connectDashboard(remote.client, { resyncNow: false })
    useDashboard.getState().setView('graph')
    remote.emit({ type: 'show-service', id: 0, service: 'db' })
    expect(useDashboard.getState().selectedService).toBe('db')
    expect(useDashboard.getState().view).toBe('services')
    connection.close()
  })

  it('turns a crash loop into one toast', () => {
    const remote = clientUnderControl()
    const connection = connectDashboard(remote.client, { resyncNow: false })
    for (let i = 0; i < 4; i++) {
      remote.emit({ type: 'replica', id: i * 2, replica: { ...crashed('web_1-1'), state: 'starting' } })
      remote.emit({ type: 'replica', id: i * 2 + 1, replica: crashed('web_1-1') })
    }
    expect(useNotices.getState().toasts.map((t) => t.title)).toEqual(['web: a replica is in trouble'])
    connection.close()
  })
})
