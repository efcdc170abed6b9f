// dependsOn with real processes: a chain starts in order, a job completes before its
// dependents, a failing dependency holds them with the reason, stopping goes dependents
// first; autoStart: false and a subset leave services not started until started by hand.
import { describe, expect, it } from 'vitest'
import type { Dependency, Service } from '../../src-shared/app-model'
import type { MicronetesEvent } from '../../src-shared/events'
import type { ReplicaStatus } from '../../src-shared/status'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { freePort } from '../free-port'
import { stopWaves, withDependencies } from '../../src-main/core/start-order'
import { application, binding, nodeService, sleep, waitFor } from './orchestrator-helpers'
import { orchestratorRuns } from './orchestrator-runs'

const { track } = orchestratorRuns()

const backoff = { initialMs: 100, maxMs: 200, resetAfterMs: 60_000 }

function on(service: string, condition: Dependency['condition'] = 'ready'): Dependency {
  return { service, condition }
}

/** when a replica of the service first reached the state, by its events */
function firstTime(events: { at: number; e: MicronetesEvent }[], service: string, test: (r: ReplicaStatus) => boolean): number | undefined {
  return events.find(({ e }) => e.type === 'replica' && e.replica.service === service && test(e.replica))?.at
}

function timed(o: Orchestrator): { at: number; e: MicronetesEvent }[] {
  const list: { at: number; e: MicronetesEvent }[] = []
  o.subscribe((e) => list.push({ at: Date.now(), e }))
  return list
}

async function server(name: string, listenAfterMs: number, more: Partial<Service> = {}): Promise<Service> {
  return nodeService(name, 'health-server.mjs', { bindings: [binding({ port: await freePort() })], env: [{ name: 'LISTEN_AFTER_MS', value: String(listenAfterMs) }], ...more })
}

describe('dependsOn', () => {
  it('starts db -> api -> web in order, each once what it needs is ready, and says what each waits for', async () => {
    const o = new Orchestrator(
      application([
        await server('web', 0, { dependsOn: [on('api')] }),
        await server('api', 300, { dependsOn: [on('db')] }),
        await server('db', 500),
      ]),
    )
    track(o)
    const times = timed(o)
    await o.start()
    expect(o.service('web')).toMatchObject({ state: 'waiting', waitingFor: ['api (ready)'], message: 'waiting for api (ready); api is waiting too', dependsOn: [on('api')] })
    expect(o.service('api')).toMatchObject({ state: 'waiting', waitingFor: ['db (ready)'], message: 'waiting for db (ready)' })
    expect(o.service('web').replicaStatuses).toEqual([])
    await waitFor('web ready', () => o.service('web').state === 'running')
    expect(o.service('web').waitingFor).toBeUndefined()

    const dbReady = firstTime(times, 'db', (r) => r.state === 'ready')!
    const apiStarted = firstTime(times, 'api', (r) => r.state === 'starting')!
    const apiReady = firstTime(times, 'api', (r) => r.state === 'ready')!
    const webStarted = firstTime(times, 'web', (r) => r.state === 'starting')!
    expect(apiStarted).toBeGreaterThanOrEqual(dbReady)
    expect(webStarted).toBeGreaterThanOrEqual(apiReady)
    // the replicas' own start times say the same
    expect(o.service('api').replicaStatuses[0]!.startedAt).toBeGreaterThanOrEqual(dbReady)
    expect(o.service('web').replicaStatuses[0]!.startedAt).toBeGreaterThanOrEqual(apiReady)
  })

  it('runs a job to completion (exit 0) before what waits for it, and "started" waits only for the launch', async () => {
    const o = new Orchestrator(
      application([
        nodeService('migrate', 'job.mjs', { args: ['0', '400'], restart: 'never' }),
        await server('api', 0, { dependsOn: [on('migrate', 'completed')] }),
        await server('side', 0, { dependsOn: [on('migrate', 'started')] }),
      ]),
    )
    track(o)
    const times = timed(o)
    await o.start()
    await waitFor('api ready', () => o.service('api').state === 'running')
    const migrateDone = firstTime(times, 'migrate', (r) => r.state === 'stopped' && r.exitCode === 0)!
    const migrateStarted = firstTime(times, 'migrate', (r) => r.state === 'running')!
    expect(migrateDone).toBeDefined()
    expect(firstTime(times, 'api', (r) => r.state === 'starting')).toBeGreaterThanOrEqual(migrateDone)
    const sideStarted = firstTime(times, 'side', (r) => r.state === 'starting')!
    expect(sideStarted).toBeGreaterThanOrEqual(migrateStarted)
    expect(sideStarted).toBeLessThan(migrateDone)
  })

  it('says why a dependent waits for a job scaled to 0, which never completes, and starts it once the job is scaled up and done', async () => {
    const o = new Orchestrator(
      application([
        nodeService('migrate', 'job.mjs', { args: ['0', '400'], restart: 'never', replicas: 0 }),
        await server('api', 0, { dependsOn: [on('migrate', 'completed')] }),
      ]),
    )
    track(o)
    await o.start()
    const api = await waitFor('the reason', () => {
      const s = o.service('api')
      return s.message?.includes('scaled to 0') && s
    })
    expect(api).toMatchObject({ state: 'waiting', waitingFor: ['migrate (completed)'], replicaStatuses: [] })
    expect(api.message).toBe('waiting for migrate (completed); migrate is scaled to 0 replicas, so it never completes; scale it up')
    // scaled up, the job runs to completion and the dependent starts
    await o.scale('migrate', 1)
    await waitFor('api running', () => o.service('api').state === 'running')
  })

  it('holds the dependents of a failing dependency, saying why', async () => {
    const o = new Orchestrator(
      // with a binding, so it is not ready the moment it runs (it never listens, it exits)
      application([nodeService('db', 'crash.mjs', { args: ['1', '100'], bindings: [binding({ port: await freePort() })] }), await server('api', 0, { dependsOn: [on('db')] })]),
      { backoff },
    )
    track(o)
    await o.start()
    await waitFor('db restarted twice', () => (o.service('db').replicaStatuses[0]?.restarts ?? 0) >= 2)
    const db = o.service('db').replicaStatuses[0]!.name
    const api = await waitFor('the reason', () => {
      const s = o.service('api')
      return s.message?.includes('exited with code 1') && s
    })
    expect(api).toMatchObject({ state: 'waiting', waitingFor: ['db (ready)'], replicaStatuses: [] })
    expect(api.message).toMatch(new RegExp(`^waiting for db \\(ready\\); ${db} (crashed|backoff): exited with code 1`))
  })

  it('stops dependents before what they depend on', async () => {
    const o = new Orchestrator(application([await server('db', 0), await server('api', 0, { dependsOn: [on('db')] }), await server('web', 0, { dependsOn: [on('api', 'started')] })]))
    track(o)
    const times = timed(o)
    await o.start()
    await waitFor('all ready', () => o.services().every((s) => s.state === 'running'))
    const from = times.length
    await o.stop()
    const after = times.slice(from)
    const stopping = (s: string) => firstTime(after, s, (r) => r.state === 'stopping')!
    const stopped = (s: string) => firstTime(after, s, (r) => r.state === 'stopped')!
    expect(stopping('api')).toBeGreaterThanOrEqual(stopped('web'))
    expect(stopping('db')).toBeGreaterThanOrEqual(stopped('api'))
  })
})

describe('not started: autoStart: false and a subset', () => {
  it('lists an autoStart: false service as not started until someone starts it, with what it depends on', async () => {
    const o = new Orchestrator(
      application([await server('web', 0), await server('admin', 0, { autoStart: false, dependsOn: [on('tools')] }), await server('tools', 0, { autoStart: false })]),
    )
    track(o)
    await o.start()
    await waitFor('web ready', () => o.service('web').state === 'running')
    await sleep(200)
    expect(o.service('admin')).toMatchObject({ state: 'stopped', notStarted: 'autoStart is false', message: 'not started: autoStart is false', replicaStatuses: [] })
    expect(o.service('tools')).toMatchObject({ state: 'stopped', notStarted: 'autoStart is false' })

    const started = await o.startService('admin')
    expect(started.notStarted).toBeUndefined()
    await waitFor('admin and tools ready', () => o.service('admin').state === 'running' && o.service('tools').state === 'running')
    expect(o.service('tools').notStarted).toBeUndefined()
  })

  it('runs a subset with what it depends on, transitively; the rest are not started and can be started', async () => {
    const services = [
      await server('db', 0),
      await server('api', 0, { dependsOn: [on('db')] }),
      await server('web', 0, { dependsOn: [on('api')] }),
      await server('other', 0),
    ]
    expect(() => new Orchestrator(application(services), { services: ['web', 'nope'] })).toThrow('no service named nope in this application (its services: db, api, web, other)')
    const o = new Orchestrator(application(services), { services: ['web'] })
    track(o)
    await o.start()
    await waitFor('web ready', () => o.service('web').state === 'running')
    expect(o.service('db').state).toBe('running')
    expect(o.service('other')).toMatchObject({ state: 'stopped', notStarted: 'not among the services asked for', replicaStatuses: [] })
    await o.startService('other')
    await waitFor('other ready', () => o.service('other').state === 'running')
  })

  it('orders stops in waves and closes a subset over its dependencies', () => {
    const svc = (name: string, deps: string[]) => ({ name, dependsOn: deps.map((d) => on(d)) }) as Service
    const app = [svc('web', ['api']), svc('api', ['db', 'cache']), svc('db', []), svc('cache', []), svc('docs', [])]
    expect(stopWaves(app)).toEqual([['web', 'docs'], ['api'], ['db', 'cache']])
    expect([...withDependencies(app, ['api'])].sort()).toEqual(['api', 'cache', 'db'])
  })
})
