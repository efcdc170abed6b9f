// The dependency view's links and columns, from services' status.
import { describe, expect, it } from 'vitest'
import type { ServiceStatus } from '../../src-shared/status'
import { layers, serviceLinks } from '../../src-renderer/service-links'

function service(name: string, more: Partial<ServiceStatus> = {}): ServiceStatus {
  return { name, kind: 'executable', replicas: 1, state: 'running', restarts: 0, bindings: [{ host: 'localhost', protocol: 'http', port: 5000 }], args: [], replicaStatuses: [], ...more }
}

describe('service links', () => {
  it('draws dependsOn, and discovery only where a service names another in its env or args', () => {
    const services = [
      service('web'),
      service('web-api'),
      service('worker', { dependsOn: [{ service: 'web', condition: 'started' }], env: [{ name: 'API', value: 'http://${SERVICE__WEB-API__HOST}' }] }),
      service('cache', { args: ['--upstream', 'WEB_SERVICE_PORT'] }),
      service('db', { env: [{ name: 'X', value: 'ConnectionStrings:web' }] }),
      service('lonely', { env: [{ name: 'WEBSITE', value: 'SERVICE__WEBX__PORT' }] }),
    ]
    expect(serviceLinks(services)).toEqual([
      { from: 'worker', to: 'web', kind: 'dependsOn' },
      { from: 'worker', to: 'web-api', kind: 'discovery' },
      { from: 'cache', to: 'web', kind: 'discovery' },
      { from: 'db', to: 'web', kind: 'discovery' },
    ])
    // SERVICE__WEB-API__HOST and WEB_API_SERVICE_PORT name web-api, not web
    for (const value of ['SERVICE__WEB-API__HOST', '$WEB_API_SERVICE_PORT']) {
      expect(serviceLinks([service('web'), service('web-api'), service('worker', { env: [{ name: 'A', value }] })])).toEqual([{ from: 'worker', to: 'web-api', kind: 'discovery' }])
    }
  })

  it('puts a service right of what it uses, and survives a cycle', () => {
    const on = (name: string) => [{ service: name, condition: 'started' as const }]
    const services = [service('worker', { dependsOn: on('web') }), service('web', { dependsOn: on('db') }), service('db'), service('a', { dependsOn: on('b') }), service('b', { dependsOn: on('a') })]
    const columns = layers(services, serviceLinks(services))
    expect(columns[0]).toContain('db')
    expect(columns.findIndex((c) => c.includes('web'))).toBe(1)
    expect(columns.findIndex((c) => c.includes('worker'))).toBe(2)
    expect(columns.flat().sort()).toEqual(['a', 'b', 'db', 'web', 'worker'])
  })
})
