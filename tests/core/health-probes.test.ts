// Readiness and liveness probes against real servers and processes: a replica that stops
// answering /ready leaves the proxy, one that fails /health is restarted with the reason,
// tcp, exec and log probes each hold readiness until they pass, maxRestarts ends in failed.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Probe, ProbeCheck } from '../../src-shared/app-model'
import type { MicronetesEvent } from '../../src-shared/events'
import type { ReplicaStatus } from '../../src-shared/status'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { freePort } from '../free-port'
import { application, binding, nodeService, sleep, waitFor } from './orchestrator-helpers'
import { orchestratorRuns } from './orchestrator-runs'

const { track, folders } = orchestratorRuns()

function probe(check: ProbeCheck, more: Partial<Probe> = {}): Probe {
  return { check, initialDelayMs: 0, periodMs: 100, timeoutMs: 1000, successThreshold: 1, failureThreshold: 1, ...more }
}

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const backoff = { initialMs: 100, maxMs: 200, resetAfterMs: 60_000 }

function replica(o: Orchestrator, service: string, ordinal: number): ReplicaStatus {
  return o.service(service).replicaStatuses[ordinal - 1]!
}

describe('http probes', () => {
  it('takes a replica that fails readiness out of the proxy, and restarts one that fails liveness, with the reason', async () => {
    const port = await freePort()
    const web = nodeService('web', 'health-server.mjs', {
      replicas: 2,
      bindings: [binding({ port })],
      readiness: probe({ kind: 'http', path: '/ready', scheme: 'http', headers: [] }),
      liveness: probe({ kind: 'http', path: '/health', scheme: 'http', headers: [{ name: 'X-Probe', value: 'yes' }] }, { failureThreshold: 2 }),
    })
    const o = new Orchestrator(application([web]), { backoff })
    track(o)
    const events: MicronetesEvent[] = []
    o.subscribe((e) => events.push(e))
    await o.start()
    await waitFor('2 ready replicas', () => o.service('web').replicaStatuses.every((r) => r.state === 'ready'))
    const [one, two] = o.service('web').replicaStatuses
    expect(one!.health).toBe('healthy')
    expect(one!.readiness).toMatchObject({ ok: true, message: 'GET /ready answered 200', failures: 0 })
    expect(one!.liveness).toMatchObject({ ok: true, message: 'GET /health answered 200' })
    expect(one!.readiness!.at).toBeGreaterThan(Date.now() - 5000)

    // replica 1 stops being ready: it leaves the proxy but keeps running
    await get(one!.ports[0]!, '/set?ready=503')
    await waitFor('replica 1 not ready', () => replica(o, 'web', 1).state === 'running')
    expect(replica(o, 'web', 1)).toMatchObject({ pid: one!.pid, health: 'unhealthy', message: 'not ready: GET /ready answered 503' })
    expect(o.service('web').state).toBe('degraded')
    const seen = new Set<string>()
    for (let i = 0; i < 4; i++) seen.add((JSON.parse((await get(port)).body) as { instance: string }).instance)
    expect([...seen]).toEqual([two!.name])
    // and comes back once it answers again
    await get(one!.ports[0]!, '/set?ready=200')
    await waitFor('replica 1 ready again', () => replica(o, 'web', 1).state === 'ready')

    // replica 2 fails liveness: stopped, counted as a restart, started again after backoff
    await get(two!.ports[0]!, '/set?health=500')
    await waitFor('replica 2 restarted', () => replica(o, 'web', 2).restarts === 1 && replica(o, 'web', 2).state === 'ready')
    expect(replica(o, 'web', 2).pid).not.toBe(two!.pid)
    const crashed = events.find((e) => e.type === 'replica' && e.replica.name === two!.name && e.replica.state === 'crashed')
    expect(crashed).toMatchObject({ replica: { message: 'liveness failed: GET /health answered 500' } })
    const backoffEvent = events.find((e) => e.type === 'replica' && e.replica.name === two!.name && e.replica.state === 'backoff')
    expect(backoffEvent).toMatchObject({ replica: { message: expect.stringMatching(/^liveness failed: GET \/health answered 500; restarting in \d+ ms$/) } })
    const logs = o.logs({ service: 'web', replica: two!.name }).map((l) => l.text)
    expect(logs).toContain(`${two!.name} liveness failed: GET /health answered 500; stopping it to restart`)
    expect(o.service('web').restarts).toBe(1)
    // the failed checks are counted for Prometheus
    const [m1, m2] = await o.metrics('web')
    expect(m1!.readinessFailures).toBeGreaterThanOrEqual(1)
    expect(m2!.livenessFailures).toBeGreaterThanOrEqual(2)
    expect(m1!.ready).toBe(1)
  })
})

describe('readiness gates by tcp, exec and log', () => {
  it('tcp: running until the port accepts, then ready', async () => {
    const o = new Orchestrator(
      application([
        nodeService('db', 'health-server.mjs', {
          bindings: [binding({ port: await freePort() })],
          env: [{ name: 'LISTEN_AFTER_MS', value: '800' }],
          readiness: probe({ kind: 'tcp' }),
        }),
      ]),
    )
    track(o)
    await o.start()
    await waitFor('a failed tcp check', () => replica(o, 'db', 1).readiness?.ok === false)
    expect(replica(o, 'db', 1)).toMatchObject({ state: 'running', health: 'unhealthy' })
    expect(replica(o, 'db', 1).readiness!.message).toMatch(/^nothing accepts connections on port \d+$/)
    await waitFor('ready', () => replica(o, 'db', 1).state === 'ready')
    expect(replica(o, 'db', 1).readiness).toMatchObject({ ok: true, message: `port ${replica(o, 'db', 1).ports[0]} accepts connections` })
  })

  it('exec: running (its port accepts already) until the command exits 0', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'micronetes-exec-probe-'))
    folders.push(folder)
    const marker = join(folder, 'migrated')
    const o = new Orchestrator(
      application([
        nodeService('api', 'health-server.mjs', {
          bindings: [binding({ port: await freePort() })],
          readiness: probe({ kind: 'exec', command: [process.execPath, '-e', `process.exit(require('fs').existsSync(${JSON.stringify(marker)}) ? 0 : 3)`] }),
        }),
      ]),
    )
    track(o)
    await o.start()
    await waitFor('a failed exec check', () => replica(o, 'api', 1).readiness?.ok === false)
    // the port accepts, but the probe says not yet
    await sleep(300)
    expect(replica(o, 'api', 1).state).toBe('running')
    expect(replica(o, 'api', 1).readiness!.message).toMatch(/exited with code 3$/)
    await writeFile(marker, 'done')
    await waitFor('ready', () => replica(o, 'api', 1).state === 'ready')
    expect(replica(o, 'api', 1).readiness!.message).toMatch(/exited with code 0$/)
  })

  it('log: running (its port accepts already) until a line matches', async () => {
    const o = new Orchestrator(
      application([
        nodeService('web', 'health-server.mjs', {
          bindings: [binding({ port: await freePort() })],
          env: [
            { name: 'SAY', value: 'warmed up: accepting requests' },
            { name: 'SAY_AFTER_MS', value: '700' },
          ],
          readiness: probe({ kind: 'log', pattern: 'accepting\\s+requests' }),
        }),
      ]),
    )
    track(o)
    await o.start()
    await waitFor('listening', () => o.logs({ service: 'web' }).some((l) => l.text.startsWith('listening on')))
    expect(replica(o, 'web', 1).state).toBe('running')
    await waitFor('ready', () => replica(o, 'web', 1).state === 'ready')
    expect(replica(o, 'web', 1).readiness).toMatchObject({ ok: true, message: 'log line matched /accepting\\s+requests/: warmed up: accepting requests' })
  })
})

describe('restart limits', () => {
  it('past maxRestarts a replica is failed with the reason, until started by hand', async () => {
    const o = new Orchestrator(application([nodeService('job', 'crash.mjs', { args: ['3', '0'], maxRestarts: 2 })]), { backoff })
    track(o)
    await o.start()
    await waitFor('failed', () => replica(o, 'job', 1).state === 'failed')
    expect(replica(o, 'job', 1)).toMatchObject({ restarts: 2, message: 'exited with code 3; not restarted again after 2 restarts (maxRestarts)' })
    expect(o.service('job').state).toBe('failed')
    await sleep(400)
    expect(replica(o, 'job', 1).restarts).toBe(2)

    await o.startService('job')
    await waitFor('failed again', () => replica(o, 'job', 1).state === 'failed' && replica(o, 'job', 1).restarts === 4)
  })
})
