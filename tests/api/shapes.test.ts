import { describe, expect, it } from 'vitest'
import { EventFormatter } from '../../src-main/api/event-format'
import { eventPasses, parseEventFilter } from '../../src-main/api/event-stream'
import { toPrometheusText } from '../../src-main/api/prometheus'
import { toTyeService } from '../../src-main/api/tye-shapes'
import type { ServiceStatus } from '../../src-shared/status'

const web: ServiceStatus = {
  name: 'web',
  kind: 'executable',
  replicas: 1,
  state: 'running',
  restarts: 2,
  bindings: [{ port: 5005, host: 'localhost', protocol: 'http' }, { name: 'admin', port: 5006, host: 'localhost', protocol: 'tcp', connectionString: 'x=${port}' }],
  executable: '/usr/bin/node',
  args: ['server.js', 'with space'],
  workingDirectory: '/app',
  env: [{ name: 'GREETING', value: 'hi' }],
  replicaStatuses: [
    { name: 'web_0123abcd-1', service: 'web', ordinal: 1, state: 'ready', pid: 42, ports: [51000, 51001], exitCode: null, restarts: 2, commandLine: ['/usr/bin/node', 'server.js'] },
  ],
}

describe('Tye shapes', () => {
  it('keeps the fields Tye clients read', () => {
    const tye = toTyeService(web, (replica): Record<string, string> => (replica === 'web_0123abcd-1' ? { PORT: '51000;51001' } : {}))
    expect(tye.description.name).toBe('web')
    expect(tye.description.runInfo).toMatchObject({ type: 'executable', executable: '/usr/bin/node', args: "server.js 'with space'", workingDirectory: '/app' })
    expect(tye.description.bindings.map((b) => [b.name, b.port, b.protocol])).toEqual([[null, 5005, 'http'], ['admin', 5006, 'tcp']])
    expect(tye.description.configuration).toEqual([{ name: 'GREETING', value: 'hi' }])
    expect(tye.serviceType).toBe('executable')
    expect(tye.serviceSource).toBe('configuration')
    expect(tye.restarts).toBe(2)
    expect(tye.replicas['web_0123abcd-1']).toMatchObject({ name: 'web_0123abcd-1', pid: 42, ports: [51000, 51001], environment: { PORT: '51000;51001' }, exitCode: null, state: 'ready', type: 'process' })
  })

  it('leaves pid out of a replica without a process, as Tye clients expect (pid?.toString())', () => {
    const waiting = { ...web.replicaStatuses[0]!, state: 'backoff' as const, pid: undefined }
    delete waiting.pid
    const tye = toTyeService({ ...web, replicaStatuses: [waiting] }, () => ({}))
    const replica = tye.replicas['web_0123abcd-1']!
    expect('pid' in replica).toBe(false)
    expect(JSON.parse(JSON.stringify(replica))).not.toHaveProperty('pid')
  })

  it("gives Tye's routes and says which bindings are only a connection string", () => {
    const tye = toTyeService({
      ...web,
      bindings: [
        { port: 5005, host: 'localhost', protocol: 'http', routes: ['/swagger'] },
        { name: 'db', port: 0, host: 'localhost', protocol: 'http', connectionString: 'Server=x', connectionStringOnly: true },
      ],
    }, () => ({}))
    expect(tye.description.bindings.map((b) => [b.routes, b.connectionStringOnly])).toEqual([[['/swagger'], false], [[], true]])
  })

  it('calls a container service a docker run', () => {
    const tye = toTyeService({ ...web, kind: 'container', executable: undefined, image: 'redis:7', replicaStatuses: [] }, () => ({}))
    expect(tye.description.runInfo.type).toBe('docker')
    expect(tye.description.runInfo.image).toBe('redis:7')
    expect(tye.serviceType).toBe('container')
  })

  it('tells what micronetes generate runs a service from, beside Tye\'s fields', () => {
    expect(toTyeService(web, () => ({})).deploy).toBeNull()
    const deploy = { image: 'registry.example.com/web:1', limits: { cpu: '1', memory: '256Mi' } }
    expect(toTyeService({ ...web, deploy }, () => ({})).deploy).toEqual(deploy)
  })
})

describe('Prometheus text', () => {
  it('writes one sample per replica per metric, labels escaped', () => {
    const text = toPrometheusText([
      { service: 'web', replica: 'web_1-1', cpuPercent: 1.5, memoryBytes: 1024, restarts: 0, uptimeSeconds: 3, proxyConnections: 7, proxyActiveConnections: 1, proxyBytesIn: 10, proxyBytesOut: 20, ready: 1, readinessFailures: 2, livenessFailures: 0, proxyConnectionsPerSecond: 2, proxyBytesInPerSecond: 5, proxyBytesOutPerSecond: 9 },
      { service: 'we"b', replica: 'x', cpuPercent: 0, memoryBytes: 0, restarts: 0, uptimeSeconds: 0, proxyConnections: 0, proxyActiveConnections: 0, proxyBytesIn: 0, proxyBytesOut: 0, ready: 0, readinessFailures: 0, livenessFailures: 0, proxyConnectionsPerSecond: 0, proxyBytesInPerSecond: 0, proxyBytesOutPerSecond: 0 },
    ], [{ service: 'web', binding: 'api', port: 5005, connections: 7, activeConnections: 1, bytesIn: 10, bytesOut: 20, connectionsPerSecond: 2, bytesInPerSecond: 5, bytesOutPerSecond: 9 }])
    expect(text).toContain('micronetes_binding_connections_total{service="web",binding="api",port="5005"} 7')
    expect(text).toContain('# TYPE micronetes_replica_cpu_percent gauge')
    expect(text).toContain('micronetes_replica_cpu_percent{service="web",replica="web_1-1",instance="web_1-1"} 1.5')
    expect(text).toContain('micronetes_proxy_connections_total{service="web",replica="web_1-1",instance="web_1-1"} 7')
    expect(text).toContain('service="we\\"b"')
    expect(text).toContain('micronetes_replica_readiness_failures_total{service="web",replica="web_1-1",instance="web_1-1"} 2')
    expect(text).toContain('# TYPE micronetes_replica_ready gauge')
    expect(text.endsWith('\n')).toBe(true)
  })
})

describe('event filters', () => {
  const log = { type: 'log' as const, id: 3, line: { seq: 1, time: 0, service: 'web', replica: 'web_1-1', stream: 'stdout' as const, text: 'hi' } }
  const app = { type: 'application' as const, id: 4, state: 'running' as const }

  it('filters by service and type; application-wide events pass a service filter', () => {
    const byService = parseEventFilter(new URLSearchParams('service=api,worker'))
    expect(eventPasses(log, byService)).toBe(false)
    expect(eventPasses(app, byService)).toBe(true)
    expect(eventPasses(log, parseEventFilter(new URLSearchParams('service=web')))).toBe(true)
    expect(eventPasses(log, parseEventFilter(new URLSearchParams('types=replica,service')))).toBe(false)
    expect(eventPasses(log, parseEventFilter(new URLSearchParams('types=log')))).toBe(true)
  })

  it('refuses an unknown event type by name', () => {
    expect(() => parseEventFilter(new URLSearchParams('types=logs'))).toThrow(/unknown event type 'logs'/)
  })

  it('writes one id line and one data line per event', () => {
    expect(new EventFormatter().format(log)).toBe(`id: 3\ndata: ${JSON.stringify(log)}\n\n`)
  })
})
