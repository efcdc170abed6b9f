import { describe, expect, it } from 'vitest'
import { createConnection } from 'node:net'
import { request } from 'node:http'
import type { MicronetesEvent } from '../../src-shared/events'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { ProcessTable } from '../../src-main/core/process-table'
import { application, binding, nodeService, program, waitFor } from './orchestrator-helpers'
import { orchestratorRuns } from './orchestrator-runs'

const { track, pids } = orchestratorRuns()

function get(port: number): Promise<{ instance: string; env: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(JSON.parse(body)))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('Orchestrator', () => {
  it('runs 3 replicas behind the proxy, round robin, each with its own APP_INSTANCE', async () => {
    const port = await freePort()
    const o = track(new Orchestrator(application([nodeService('web', 'echo-server.mjs', { replicas: 3, bindings: [binding({ port })] })])))
    await o.start()
    await waitFor('3 ready replicas', () => o.service('web').replicaStatuses.filter((r) => r.state === 'ready').length === 3)
    const seen: string[] = []
    for (let i = 0; i < 6; i++) seen.push((await get(port)).instance)
    const names = o.service('web').replicaStatuses.map((r) => r.name)
    expect(names).toHaveLength(3)
    for (const name of names) expect(name).toMatch(/^web_[0-9a-f]{8}-[1-3]$/)
    expect(new Set(seen)).toEqual(new Set(names))
    expect(seen.slice(0, 3)).toEqual(seen.slice(3, 6))

    // the proxy reports its counts as it gets to them, off the request path
    const metrics = await waitFor('6 connections counted', async () => {
      const m = await o.metrics('web')
      return m.reduce((sum, r) => sum + r.proxyConnections, 0) === 6 && m
    })
    expect(metrics.map((m) => m.replica)).toEqual(names)
    for (const m of metrics) {
      expect(m.memoryBytes).toBeGreaterThan(0)
      expect(m.proxyBytesOut).toBeGreaterThan(0)
    }
    await expect(o.metrics('nope')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('injects the discovery variables the child sees', async () => {
    const webPort = await freePort()
    const apiPort = await freePort()
    const o = track(
      new Orchestrator(
        application([
          nodeService('web', 'echo-server.mjs', { bindings: [binding({ port: webPort })], env: [{ name: 'GREETING', value: 'hello' }] }),
          nodeService('api-backend', 'echo-server.mjs', { bindings: [binding({ port: apiPort }), binding({ name: 'grpc', protocol: 'https' })] }),
          {
            name: 'db', kind: 'external', args: [], replicas: 1, env: [], restart: 'on-failure', stopGracePeriodMs: 5000, volumes: [], dependsOn: [], autoStart: true, envFiles: [],
            bindings: [binding({ port: 5432, protocol: 'tcp', connectionString: 'Server=${host};Port=${port}' })],
          },
        ]),
      ),
    )
    await o.start()
    await waitFor('web ready', () => o.service('web').replicaStatuses[0]?.state === 'ready')
    const { instance, env } = await get(webPort)
    const replica = o.service('web').replicaStatuses[0]!
    expect(instance).toBe(replica.name)
    const grpcPort = o.service('api-backend').bindings[1]!.port
    expect(grpcPort).toBeGreaterThan(0)
    expect(env).toMatchObject({
      APP_INSTANCE: replica.name,
      PORT: String(replica.ports[0]),
      GREETING: 'hello',
      SERVICE__WEB__HOST: 'localhost',
      SERVICE__WEB__PORT: String(webPort),
      SERVICE__WEB__PROTOCOL: 'http',
      WEB_SERVICE_PORT: String(webPort),
      'SERVICE__API-BACKEND__PORT': String(apiPort),
      API_BACKEND_SERVICE_PORT: String(apiPort),
      'SERVICE__API-BACKEND__GRPC__PORT': String(grpcPort),
      'SERVICE__API-BACKEND__GRPC__PROTOCOL': 'https',
      API_BACKEND_GRPC_SERVICE_PORT: String(grpcPort),
      SERVICE__DB__HOST: 'localhost',
      SERVICE__DB__PORT: '5432',
      DB_SERVICE_PORT: '5432',
      CONNECTIONSTRINGS__DB: 'Server=localhost;Port=5432',
    })
    expect(env.PATH).toBe(process.env.PATH)
    // its details show what Micronetes gave, not the whole inherited environment; its status carries none
    const details = o.replica(replica.name)
    expect(details.environment.SERVICE__WEB__PORT).toBe(String(webPort))
    expect(details.environment.PATH).toBeUndefined()
    expect(details).toMatchObject({ name: replica.name, ordinal: 1, state: 'ready' })
    expect('environment' in replica).toBe(false)
    expect(() => o.replica('web_00000000-9')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('scales 1 -> 5 -> 0 -> 2 exactly, removing the newest', async () => {
    const o = track(new Orchestrator(application([nodeService('web', 'echo-server.mjs', { bindings: [binding()] })])))
    const events: MicronetesEvent[] = []
    o.subscribe((e) => events.push(e))
    await o.start()
    const live = (): number[] =>
      o.service('web').replicaStatuses.map((r) => r.pid).filter((pid): pid is number => pid !== undefined && processAlive(pid))

    for (const n of [5, 0, 2]) {
      const before = o.service('web').replicaStatuses.map((r) => ({ name: r.name, pid: r.pid }))
      const status = await o.scale('web', n)
      expect(status.replicas).toBe(n)
      expect(status.replicaStatuses).toHaveLength(n)
      await waitFor(`${n} ready`, () => o.service('web').replicaStatuses.filter((r) => r.state === 'ready').length === n)
      expect(live()).toHaveLength(n)
      expect(o.service('web').replicaStatuses.map((r) => Number(r.name.split('-').pop()))).toEqual(Array.from({ length: n }, (_, i) => i + 1))
      // the ordinal a status carries is the one its name was made from
      expect(o.service('web').replicaStatuses.map((r) => r.ordinal)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
      // those removed are gone for good
      for (const old of before.slice(n)) {
        if (old.pid !== undefined) expect(processAlive(old.pid)).toBe(false)
        expect(events.some((e) => e.type === 'replica-removed' && e.replica === old.name)).toBe(true)
      }
    }
  })

  it('a scale asked for during start-up waits for it and ends exact', async () => {
    const o = track(new Orchestrator(application([nodeService('web', 'echo-server.mjs', { replicas: 2, bindings: [binding()] })])))
    await expect(o.scale('web', 1)).rejects.toMatchObject({ code: 'unavailable' })
    const starting = o.start()
    const scaled = o.scale('web', 4)
    await starting
    const status = await scaled
    expect(status.replicaStatuses.map((r) => r.name.split('-').pop())).toEqual(['1', '2', '3', '4'])
    await waitFor('4 ready', () => o.service('web').state === 'running')
    for (const r of o.service('web').replicaStatuses) expect(r.ports).toHaveLength(1)
  })

  it('a stop during start-up leaves nothing listening or running', async () => {
    const port = await freePort()
    const o = track(new Orchestrator(application([nodeService('web', 'echo-server.mjs', { replicas: 2, bindings: [binding({ port })] })])))
    const starting = o.start()
    await o.stop()
    await expect(starting).rejects.toMatchObject({ code: 'unavailable' })
    expect(o.state).toBe('stopped')
    expect(o.service('web').replicaStatuses.filter((r) => r.pid !== undefined)).toEqual([])
    await expect(new Promise((resolve, reject) => createConnection({ port, host: '127.0.0.1' }).on('connect', resolve).on('error', reject))).rejects.toThrow()
  })

  it('refuses a binding port already in use, naming port, service and process, and starts nothing', async () => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()))
    const port = (holder.address() as { port: number }).port
    try {
      const o = track(
        new Orchestrator(application([nodeService('free', 'echo-server.mjs', { bindings: [binding()] }), nodeService('web', 'echo-server.mjs', { bindings: [binding({ port })] })])),
      )
      const started: MicronetesEvent[] = []
      o.subscribe((e) => started.push(e))
      await expect(o.start()).rejects.toThrow(new RegExp(`port ${port} of service web is already in use by process ${process.pid} \\(`))
      expect(started.filter((e) => e.type === 'replica')).toEqual([])
      const other = o.service('free').bindings[0]!.port
      // the proxy of the free service was not left listening
      await expect(new Promise((resolve, reject) => createConnection({ port: other, host: '127.0.0.1' }).on('connect', resolve).on('error', reject))).rejects.toThrow()
    } finally {
      holder.close()
    }
  })

  it('answers not-found and conflict as the contract says', async () => {
    const o = track(
      new Orchestrator(
        application([
          nodeService('web', 'echo-server.mjs'),
          { name: 'db', kind: 'external', args: [], replicas: 1, env: [], restart: 'on-failure', stopGracePeriodMs: 5000, volumes: [], dependsOn: [], autoStart: true, envFiles: [], bindings: [binding({ port: 5432 })] },
        ]),
      ),
    )
    await o.start()
    expect(() => o.service('nope')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => o.scale('db', 2)).toThrow(expect.objectContaining({ code: 'conflict' }))
    await expect(o.restartReplica('web_00000000-9')).rejects.toMatchObject({ code: 'not-found' })
    expect(o.service('db').state).toBe('external')
  })

  it('stops and starts a service, and restarts one replica with a new process', async () => {
    const o = track(new Orchestrator(application([nodeService('web', 'echo-server.mjs', { replicas: 2, bindings: [binding()] })])))
    await o.start()
    await waitFor('ready', () => o.service('web').state === 'running')
    const [first] = o.service('web').replicaStatuses
    const restarted = await o.restartReplica(first!.name)
    expect(restarted.restarts).toBe(1)
    expect(processAlive(first!.pid!)).toBe(false)
    await waitFor('ready again', () => o.service('web').state === 'running')
    expect(o.service('web').replicaStatuses[0]!.pid).not.toBe(first!.pid)

    const stopped = await o.stopService('web')
    expect(stopped.state).toBe('stopped')
    expect(stopped.replicaStatuses.map((r) => r.state)).toEqual(['stopped', 'stopped'])
    await o.startService('web')
    await waitFor('running after start', () => o.service('web').state === 'running')
  })

  it('runs a project folder with npm start and stops npm, sh and node together', async () => {
    const port = await freePort()
    const o = track(
      new Orchestrator(
        application([
          { name: 'shop', kind: 'project', project: program('npm-project'), args: [], replicas: 1, env: [], bindings: [binding({ port })], restart: 'on-failure', stopGracePeriodMs: 5000, volumes: [], dependsOn: [], autoStart: true, envFiles: [] },
        ]),
      ),
    )
    await o.start()
    await waitFor('ready', () => o.service('shop').state === 'running', 30_000)
    const replica = o.service('shop').replicaStatuses[0]!
    expect(replica.commandLine).toEqual(['npm', 'start'])
    expect((await get(port)).instance).toBe(replica.name)
    const members = new ProcessTable().groupMembers(replica.pid!).map((m) => m.pid)
    expect(members.length).toBeGreaterThanOrEqual(2)
    for (const pid of members) pids.add(pid)
    await o.stopService('shop')
    for (const pid of members) expect(processAlive(pid)).toBe(false)
  })

  it('a replica whose launch fails is failed with the reason; the rest runs', async () => {
    const o = track(
      new Orchestrator(
        application([
          { ...nodeService('broken', 'echo-server.mjs'), executable: '/nonexistent/program' },
          nodeService('web', 'echo-server.mjs', { bindings: [binding()] }),
        ]),
      ),
    )
    await o.start()
    await waitFor('web ready', () => o.service('web').state === 'running')
    const broken = o.service('broken')
    expect(broken.state).toBe('failed')
    expect(broken.replicaStatuses[0]!.message).toMatch(/\/nonexistent\/program.*not found/)
  })

  it('keeps a bounded log per replica and counts what it dropped', async () => {
    const o = new Orchestrator(application([nodeService('noisy', 'flood.mjs', { args: ['12000'] })]), { logCapacity: 1000 })
    track(o)
    const dropped: number[] = []
    o.subscribe((e) => e.type === 'logs-dropped' && dropped.push(e.count))
    await o.start()
    await waitFor('last line', () => o.logs({ service: 'noisy' }).at(-1)?.text === 'line 12000')
    const lines = o.logs({ service: 'noisy' })
    expect(lines).toHaveLength(1000)
    expect(lines[0]!.text).toBe('line 11001')
    expect(o.logs({ service: 'noisy', tail: 2 }).map((l) => l.text)).toEqual(['line 11999', 'line 12000'])
    // the first drop is told at once, then at most once a second, and the final count always
    await waitFor('the final count', () => dropped.at(-1) === 11_000)
    expect(dropped.length).toBeLessThan(10)
  })
})
