// Issue #15's sequences through the HTTP routes: a replica restart that arrives while a scale to 0
// or a service stop is still under way is answered 409, and no replica process is left running.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import type { TyeService } from '../../src-main/api/tye-shapes'
import { Session } from '../../src-main/core/session'
import { livePidsOf, liveReplicaGroups } from '../core/live-replicas'
import { postJson, request, waitFor } from './http-client'

const folder = mkdtempSync(join(tmpdir(), 'micronetes-racing-'))
// each replica takes a second to exit on SIGTERM, like a server draining its connections
writeFileSync(
  join(folder, 'app.yaml'),
  `name: racing
services:
  - name: s
    executable: sh
    args: ["-c", "trap 'sleep 1; exit 0' TERM; sleep 1001 & wait"]
    replicas: 2
`,
)

let session: Session
let api: ApiServer
let base: string
/** every replica name seen: the oracle reads /proc for exactly these */
const seen = new Set<string>()

beforeAll(async () => {
  session = new Session()
  const info = await session.open(join(folder, 'app.yaml'))
  if (info.state !== 'running') throw new Error(`racing app did not start: ${info.message ?? info.state}`)
  api = await startApiServer({ port: 0, session })
  base = `${api.url}/api/v1`
})

afterAll(async () => {
  await api?.close()
  await session?.close()
  for (const pid of livePidsOf((instance) => seen.has(instance))) process.kill(pid, 'SIGKILL')
  rmSync(folder, { recursive: true, force: true })
})

async function service(): Promise<TyeService> {
  const s = (await request(`${base}/services/s`)).json<TyeService>()
  for (const name of Object.keys(s.replicas)) seen.add(name)
  return s
}

function liveInstances(): string[] {
  return liveReplicaGroups((instance) => seen.has(instance))
    .map((g) => g.instance)
    .sort()
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function twoReady(): Promise<[string, string]> {
  await postJson(`${base}/services/s/scale`, { replicas: 2 })
  await postJson(`${base}/services/s/start`)
  const s = await waitFor(async () => {
    const current = await service()
    const states = Object.values(current.replicas).map((r) => r.state)
    return states.length === 2 && states.every((st) => st === 'ready') ? current : undefined
  }, 'two ready replicas')
  const names = Object.keys(s.replicas).sort() as [string, string]
  // the trap is set once `sleep` runs: before that a TERM would end a replica at once
  await waitFor(() => liveReplicaGroups((instance) => names.includes(instance)).filter((g) => g.members >= 2).length === 2 || undefined, 'both replicas trapping TERM')
  return names
}

describe('a replica restart racing a service action, over HTTP', () => {
  it('restart replica 2, scale to 0, restart replica 1: 200, 200, 409, and nothing runs', async () => {
    const [first, second] = await twoReady()
    const a = postJson(`${base}/replicas/${second}/restart`)
    await pause(200)
    const b = postJson(`${base}/services/s/scale`, { replicas: 0 })
    await pause(200)
    const c = postJson(`${base}/replicas/${first}/restart`)
    const [restartSecond, scale, restartFirst] = await Promise.all([a, b, c])

    expect(restartSecond.status).toBe(200)
    expect(scale.status).toBe(200)
    expect(restartFirst.status).toBe(409)
    expect(restartFirst.json()).toMatchObject({ code: 'conflict', message: expect.stringContaining(first) })
    const after = await service()
    expect(after.replicas).toEqual({})
    expect(liveInstances()).toEqual([])

    expect((await postJson(`${base}/services/s/scale`, { replicas: 1 })).status).toBe(200)
    await waitFor(async () => Object.values((await service()).replicas)[0]?.state === 'ready' || undefined, 'one ready replica')
    expect(liveInstances()).toEqual([first])
  })

  it('restart replica 2, stop the service, restart replica 1: 200, 200, 409, and nothing runs', async () => {
    const [first, second] = await twoReady()
    const a = postJson(`${base}/replicas/${second}/restart`)
    await pause(200)
    const b = postJson(`${base}/services/s/stop`)
    await pause(200)
    const c = postJson(`${base}/replicas/${first}/restart`)
    const [restartSecond, stop, restartFirst] = await Promise.all([a, b, c])

    expect(restartSecond.status).toBe(200)
    expect(stop.status).toBe(200)
    expect(restartFirst.status).toBe(409)
    expect(restartFirst.json()).toMatchObject({ code: 'conflict' })
    const after = await service()
    expect(Object.values(after.replicas).map((r) => r.state)).toEqual(['stopped', 'stopped'])
    expect(liveInstances()).toEqual([])

    expect((await postJson(`${base}/services/s/start`)).status).toBe(200)
    await waitFor(async () => Object.values((await service()).replicas).every((r) => r.state === 'ready') || undefined, 'both ready again')
    expect(liveInstances()).toEqual([first, second])
  })
})
