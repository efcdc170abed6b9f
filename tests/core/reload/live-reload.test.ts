// Reloading a running application from its edited app.yaml, with real files and processes:
// each edit touches only what it changed, and a client going through an unchanged binding
// never sees an error.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../../free-port'
import { Session } from '../../../src-main/core/session'
import type { ServiceStatus } from '../../../src-shared/status'
import { program, waitFor } from '../orchestrator-helpers'
import { sessionRuns } from '../session-runs'

const { sessions, pids, folders } = sessionRuns()

function open(yaml: string): { session: Session; file: string } {
  const folder = mkdtempSync(join(tmpdir(), 'micronetes-reload-'))
  folders.push(folder)
  const file = join(folder, 'app.yaml')
  writeFileSync(file, yaml)
  const session = new Session({ orchestrator: { reloadReadyTimeoutMs: 10_000 } })
  session.subscribe((e) => {
    if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
  })
  sessions.push(session)
  return { session, file }
}


function service(name: string, more: string): string {
  return `  - name: ${name}\n    executable: ${process.execPath}\n    args: ${program('echo-server.mjs')}${more}\n`
}

function pidsOf(session: Session, name: string): number[] {
  return session.current()!.service(name).replicaStatuses.map((r) => r.pid!).sort()
}

async function allReady(session: Session): Promise<ServiceStatus[]> {
  return waitFor('every replica ready', () => {
    const services = session.current()!.services()
    return services.every((s) => s.replicaStatuses.length === s.replicas && s.replicaStatuses.every((r) => r.state === 'ready')) && services
  })
}

/** GET after GET through the proxy until stopped; counts the failures */
function clientLoop(port: number): { stop: () => Promise<{ ok: number; errors: string[] }> } {
  let running = true
  const result = { ok: 0, errors: [] as string[] }
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === 200) result.ok++
          else result.errors.push(`status ${res.statusCode}`)
          resolve()
        })
      })
      req.on('error', (err) => {
        result.errors.push(err.message)
        resolve()
      })
      req.end()
    })
  const loop = (async () => {
    while (running) await one()
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return result
    },
  }
}

describe('reloading a running application', () => {
  it('applies each edit as a difference: the rest keeps its pids and the proxy keeps serving', async () => {
    const port = await freePort()
    const web = service('web', `\n    replicas: 2\n    bindings:\n      - port: ${port}`)
    const worker = (more: string) => service('worker', `\n    replicas: 2${more}`)
    const cache = (args: string) => service('cache', args)
    const { session, file } = open(`name: shop\nservices:\n${web}${worker('')}${cache('')}`)
    expect((await session.open(file)).state).toBe('running')
    await allReady(session)
    const webPids = pidsOf(session, 'web')
    const client = clientLoop(port)
    const edit = async (yaml: string) => {
      writeFileSync(file, `name: shop\nservices:\n${yaml}`)
      const info = await session.reload()
      await allReady(session)
      return info.lastReload
    }

    // replicas only: a scale, the two running workers stay
    const workers = pidsOf(session, 'worker')
    const cachePid = pidsOf(session, 'cache')
    expect(await edit(`${web}${worker('').replace('replicas: 2', 'replicas: 3')}${cache('')}`)).toMatchObject({ result: 'applied', summary: 'app.yaml changed: worker scaled 2 -> 3' })
    expect(pidsOf(session, 'worker')).toEqual(expect.arrayContaining(workers))
    expect(pidsOf(session, 'worker')).toHaveLength(3)
    expect(pidsOf(session, 'cache')).toEqual(cachePid)

    // args of one service: only its replica is new
    expect(await edit(`${web}${worker('').replace('replicas: 2', 'replicas: 3')}${cache(' --fresh')}`)).toMatchObject({ summary: 'app.yaml changed: cache replaced (args)' })
    expect(pidsOf(session, 'cache')).not.toEqual(cachePid)
    const workers3 = pidsOf(session, 'worker')

    // env, and replicas with it
    const newWorker = worker('\n    env:\n      MODE: fast')
    expect(await edit(`${web}${newWorker}${cache(' --fresh')}`)).toMatchObject({ result: 'applied', summary: 'app.yaml changed: worker replaced (env, replicas 3 -> 2)' })
    const workersNow = pidsOf(session, 'worker')
    expect(workersNow).toHaveLength(2)
    expect(workersNow.some((p) => workers3.includes(p))).toBe(false)
    expect(session.current()!.replica(session.current()!.service('worker').replicaStatuses[0]!.name).environment.MODE).toBe('fast')

    // one service removed, one added
    expect(await edit(`${web}${newWorker}${service('extra', '')}`)).toMatchObject({ summary: 'app.yaml changed: extra added, cache removed' })
    expect(session.current()!.services().map((s) => s.name)).toEqual(['web', 'worker', 'extra'])
    expect(pidsOf(session, 'worker')).toEqual(workersNow)
    expect(pidsOf(session, 'web')).toEqual(webPids)

    // the service behind the client itself: new replicas ready before the old ones go
    expect(await edit(`${web.replace('replicas: 2', 'replicas: 2\n    env: { V: "2" }')}${newWorker}${service('extra', '')}`)).toMatchObject({
      summary: 'app.yaml changed: web replaced (env)',
    })
    expect(pidsOf(session, 'web').some((p) => webPids.includes(p))).toBe(false)
    expect(pidsOf(session, 'worker')).toEqual(workersNow)

    const seen = await client.stop()
    expect(seen.errors).toEqual([])
    expect(seen.ok).toBeGreaterThan(20)
  }, 60_000)

  it('leaves the application as it is when the edit is broken, and shows where', async () => {
    const { session, file } = open(`services:\n${service('web', '')}`)
    await session.open(file)
    await allReady(session)
    const before = pidsOf(session, 'web')
    writeFileSync(file, `services:\n${service('web', '\n    replicas: many\n    env:\n      TOKEN: ${TOKEN}')}`)
    const info = await session.reload()
    expect(info.state).toBe('running')
    expect(info.lastReload).toMatchObject({
      result: 'invalid',
      summary: 'app.yaml has 2 problems; the application keeps running as it was',
      problems: [
        { line: 5, col: 15, message: expect.stringContaining('"replicas" must be a whole number') },
        { line: 7, col: 14, message: expect.stringContaining('variable TOKEN is not set') },
      ],
    })
    expect(pidsOf(session, 'web')).toEqual(before)
    writeFileSync(file, `services:\n${service('web', '\n    replicas: 2')}`)
    expect((await session.reload()).lastReload).toMatchObject({ result: 'applied', summary: 'app.yaml changed: web scaled 1 -> 2', problems: [] })
  }, 30_000)

  it('keeps the old replicas when the new ones crash, and says why', async () => {
    const port = await freePort()
    const { session, file } = open(`services:\n${service('web', `\n    bindings:\n      - port: ${port}`)}`)
    await session.open(file)
    await allReady(session)
    const before = pidsOf(session, 'web')
    writeFileSync(file, `services:\n  - name: web\n    executable: ${process.execPath}\n    args: ${program('crash.mjs')}\n    bindings:\n      - port: ${port}\n`)
    const info = await session.reload()
    expect(info.lastReload).toMatchObject({ result: 'failed', summary: 'app.yaml changed: web replaced (args)' })
    expect(info.lastReload!.message).toMatch(/^web: the new replicas did not become ready \(web_[0-9a-f]{8}-1 crashed.*\); the old ones keep running$/)
    expect(pidsOf(session, 'web')).toEqual(before)
    expect(session.current()!.service('web').args).toEqual([program('echo-server.mjs')])
    // the running definition is the old one: the same edit is tried again on the next reload
    expect((await session.reload()).lastReload).toMatchObject({ result: 'failed' })
  }, 30_000)

  it('starts a service added with dependsOn once what it depends on allows, and not one with autoStart: false', async () => {
    const { session, file } = open(`services:\n${service('db', '')}`)
    await session.open(file)
    await allReady(session)
    const db = pidsOf(session, 'db')
    writeFileSync(file, `services:\n${service('db', '')}${service('api', '\n    dependsOn:\n      db: { condition: ready }')}${service('tool', '\n    autoStart: false')}`)
    expect((await session.reload()).lastReload).toMatchObject({ result: 'applied', summary: 'app.yaml changed: api added, tool added' })
    await waitFor('api ready', () => session.current()!.service('api').replicaStatuses[0]?.state === 'ready')
    expect(session.current()!.services().map((s) => s.name)).toEqual(['db', 'api', 'tool'])
    // autoStart: false is listed and not started, as at start-up
    expect(session.current()!.service('tool')).toMatchObject({ notStarted: 'autoStart is false' })
    expect(session.current()!.service('tool').replicaStatuses.filter((r) => r.pid !== undefined)).toEqual([])
    expect(pidsOf(session, 'db')).toEqual(db)
  }, 30_000)

  it('re-binds a changed port and gives the other services the new one', async () => {
    const [p1, p2] = [await freePort(), await freePort()]
    const yaml = (port: number) => `services:\n${service('web', `\n    bindings:\n      - port: ${port}`)}${service('worker', '')}`
    const { session, file } = open(yaml(p1))
    await session.open(file)
    await allReady(session)
    writeFileSync(file, yaml(p2))
    expect((await session.reload()).lastReload).toMatchObject({
      result: 'applied',
      summary: `app.yaml changed: web replaced (port ${p1} -> ${p2}), worker replaced (discovery of web)`,
    })
    await allReady(session)
    expect(session.current()!.replica(session.current()!.service('worker').replicaStatuses[0]!.name).environment.SERVICE__WEB__PORT).toBe(String(p2))
    expect(session.current()!.service('web').bindings[0]!.port).toBe(p2)
    const status = await new Promise<number>((resolve, reject) => request({ host: '127.0.0.1', port: p2, path: '/', agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0) }).on('error', reject).end())
    expect(status).toBe(200)
    await expect(new Promise((resolve, reject) => request({ host: '127.0.0.1', port: p1, path: '/', agent: false }, resolve).on('error', reject).end())).rejects.toThrow(/ECONNREFUSED/)
  }, 30_000)
})
