// The control routes change the real application, and the event stream shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer } from '../../src-main/api/server'
import type { TyeReplica, TyeService } from '../../src-main/api/tye-shapes'
import type { ReplicaDetails, ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import { startApiFixture, type ApiFixture } from './api-fixture'
import { openStream, parseEvents, postJson, request, waitFor } from './http-client'

let fx: ApiFixture
beforeAll(async () => {
  fx = await startApiFixture()
})
afterAll(async () => {
  await fx?.close()
})

async function web(): Promise<TyeService> {
  return (await request(`${fx.base}/services/web`)).json<TyeService>()
}

function readyCount(service: TyeService): number {
  return Object.values(service.replicas).filter((r) => r.state === 'ready').length
}

describe('control routes and the event stream', () => {
  it('scale answers the new state at once, then the stream shows the new replicas', async () => {
    await waitFor(async () => readyCount(await web()) === 2 || undefined, 'two ready replicas')
    const events = await openStream(`${fx.base}/events?service=web&types=service,replica,replica-removed`)
    try {
      expect(events.status).toBe(200)
      expect(events.headers['content-type']).toMatch(/^text\/event-stream/)

      const answer = await postJson(`${fx.base}/services/web/scale`, { replicas: 4 })
      expect(answer.status).toBe(200)
      const accepted = answer.json<TyeService>()
      expect(accepted.description.name).toBe('web')
      expect(accepted.description.replicas).toBe(4)

      await events.until((t) => new Set(parseEvents(t).filter((e) => e.data.type === 'replica' && (e.data.replica as ReplicaStatus).state === 'ready').map((e) => (e.data.replica as ReplicaStatus).name)).size >= 2)
      const received = parseEvents(events.text())
      // every event has an id, ids grow, and the filter kept only web's events of those types
      const ids = received.map((e) => e.id as number)
      expect(ids.every((id) => Number.isInteger(id))).toBe(true)
      expect([...ids].sort((a, b) => a - b)).toEqual(ids)
      for (const e of received) {
        expect(['service', 'replica', 'replica-removed']).toContain(e.data.type)
        const service = e.data.type === 'service' ? (e.data.service as ServiceStatus).name : (e.data.replica as ReplicaStatus | undefined)?.service
        expect(service).toBe('web')
      }
      expect(received.some((e) => e.data.type === 'service' && (e.data.service as ServiceStatus).replicas === 4)).toBe(true)
      await waitFor(async () => readyCount(await web()) === 4 || undefined, 'four ready replicas')

      const down = await postJson(`${fx.base}/services/web/scale`, { replicas: 1 })
      expect(down.status).toBe(200)
      await events.until((t) => parseEvents(t).filter((e) => e.data.type === 'replica-removed').length >= 3)
      await waitFor(async () => Object.keys((await web()).replicas).length === 1 || undefined, 'one replica left')
    } finally {
      events.close()
    }
  })

  it('a replica restart shows in the stream with a new pid, and Last-Event-ID resumes what was missed', async () => {
    const before = await web()
    const [replica] = Object.values(before.replicas) as [TyeReplica]
    const events = await openStream(`${fx.base}/events?types=replica`)
    let lastSeen: number
    try {
      await events.until((t) => t.includes('retry:'))
      const answer = await postJson(`${fx.base}/replicas/${replica.name}/restart`)
      expect(answer.status).toBe(200)
      expect(answer.json<TyeReplica>().name).toBe(replica.name)
      await events.until((t) =>
        parseEvents(t).some((e) => {
          const r = e.data.replica as ReplicaStatus
          return r.name === replica.name && r.state === 'ready' && r.pid !== replica.pid
        }),
      )
      lastSeen = Math.max(...parseEvents(events.text()).map((e) => e.id as number))
    } finally {
      events.close()
    }

    // while no client listens: a service restart
    const restarted = await postJson(`${fx.base}/services/web/restart`)
    expect(restarted.status).toBe(200)
    await waitFor(async () => {
      const now = await web()
      return Object.values(now.replicas).some((r) => r.state === 'ready' && r.pid !== replica.pid && r.restarts > replica.restarts + 1) || undefined
    }, 'the service restarted')

    const resumed = await openStream(`${fx.base}/events?types=replica`, { 'Last-Event-ID': String(lastSeen) })
    try {
      const text = await resumed.until((t) => parseEvents(t).some((e) => (e.data.replica as ReplicaStatus).state === 'stopping'))
      const replayed = parseEvents(text)
      expect(replayed.every((e) => (e.id as number) > lastSeen)).toBe(true)
      expect(replayed.some((e) => (e.data.replica as ReplicaStatus).state === 'ready')).toBe(true)
    } finally {
      resumed.close()
    }
  })

  it('stop and start answer the new state and the replicas follow', async () => {
    const stopped = await postJson(`${fx.base}/services/web/stop`)
    expect(stopped.status).toBe(200)
    await waitFor(async () => {
      const now = await web()
      return Object.values(now.replicas).every((r) => r.state === 'stopped' || r.pid === null) || undefined
    }, 'web stopped')
    const started = await postJson(`${fx.base}/services/web/start`)
    expect(started.status).toBe(200)
    await waitFor(async () => readyCount(await web()) === 1 || undefined, 'web running again')
  })

  it('log events carry the lines as the replicas write them', async () => {
    const events = await openStream(`${fx.base}/events?types=log&service=web`)
    try {
      const port = (await web()).description.bindings[0]?.port as number
      await request(`http://127.0.0.1:${port}/through-the-proxy`)
      await events.until((t) => t.includes('through-the-proxy'))
      const log = parseEvents(events.text()).find((e) => JSON.stringify(e.data).includes('through-the-proxy'))
      expect(log?.data).toMatchObject({ type: 'log', line: { service: 'web', stream: 'stdout', text: 'request GET /through-the-proxy' } })
    } finally {
      events.close()
    }
  })

  it('a quiet stream gets heartbeat comments', async () => {
    const quick = await startApiServer({ session: fx.session, port: 0, events: { heartbeatMs: 100 } })
    const events = await openStream(`${quick.url}/api/v1/events?service=nothing-here&types=log`)
    try {
      await events.until((t) => (t.match(/^: heartbeat$/gm) ?? []).length >= 2)
    } finally {
      events.close()
      await quick.close()
    }
  })

  it('POST /api/v1/commands/{name} runs the contract: { result } or { message, code }', async () => {
    const services = await postJson(`${fx.base}/commands/services`, {})
    expect(services.status).toBe(200)
    expect(services.json<{ result: ServiceStatus[] }>().result.map((s) => s.name)).toEqual(['web', 'db'])

    const scaled = await postJson(`${fx.base}/commands/scale`, { service: 'web', replicas: 2 })
    expect(scaled.status).toBe(200)
    expect(scaled.json<{ result: ServiceStatus }>().result.replicas).toBe(2)

    const invalid = await postJson(`${fx.base}/commands/scale`, { service: 'web', replicas: -3 })
    expect(invalid.status).toBe(400)
    expect(invalid.json()).toMatchObject({ code: 'invalid' })
    const missing = await postJson(`${fx.base}/commands/restartService`, { service: 'nope' })
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'not-found' })
    const conflict = await postJson(`${fx.base}/commands/openApplication`, { path: '/etc/passwd' })
    expect(conflict.status).toBe(409)
    expect(conflict.json()).toMatchObject({ code: 'conflict' })
  })

  it('gives a replica\'s environment through the replica command only, not in its status', async () => {
    const web = (await postJson(`${fx.base}/commands/services`, {})).json<{ result: ServiceStatus[] }>().result.find((s) => s.name === 'web')!
    const status = web.replicaStatuses[0]!
    expect(status).not.toHaveProperty('environment')
    const details = await postJson(`${fx.base}/commands/replica`, { replica: status.name })
    expect(details.status).toBe(200)
    const { result } = details.json<{ result: ReplicaDetails }>()
    expect(result).toMatchObject({ name: status.name, ordinal: status.ordinal })
    expect(result.environment.APP_INSTANCE).toBe(status.name)
    expect(result.environment.PORT).toBe(String(status.ports[0]))
    const missing = await postJson(`${fx.base}/commands/replica`, { replica: 'web_00000000-99' })
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'not-found' })
  })
})
