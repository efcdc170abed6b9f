// Control actions that race each other on a service whose replicas take a second to stop: the
// replicas listed must always be the process groups alive, each name once (issue #15, item 1).
import { afterEach, describe, expect, it } from 'vitest'
import type { Service } from '../../src-shared/app-model'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { application, serviceDefaults, sleep, waitFor } from './orchestrator-helpers'
import { livePidsOf, liveReplicaGroups } from './live-replicas'

/**
 * Exits a second after SIGTERM, like a server draining its connections. Only once its `sleep`
 * runs is the trap certainly set: a TERM before that ends it at once.
 */
function slowToStop(name: string, replicas: number): Service {
  return { ...serviceDefaults(), name, kind: 'executable', executable: 'sh', args: ['-c', "trap 'sleep 1; exit 0' TERM; sleep 1001 & wait"], replicas }
}

const running: Orchestrator[] = []
/** every replica name a test saw, so a leak it found is killed before the next test */
const seen = new Set<string>()

afterEach(async () => {
  await Promise.all(running.splice(0).map((o) => o.stop()))
  for (const pid of livePidsOf((instance) => seen.has(instance))) process.kill(pid, 'SIGKILL')
  seen.clear()
})

async function started(services: Service[]): Promise<Orchestrator> {
  const o = new Orchestrator(application(services))
  running.push(o)
  o.subscribe((e) => {
    if (e.type === 'replica') seen.add(e.replica.name)
  })
  await o.start()
  await waitFor('every replica ready', () => o.services().every((s) => s.replicaStatuses.every((r) => r.state === 'ready')))
  await waitFor('every replica trapping TERM', () => liveReplicaGroups((instance) => seen.has(instance)).filter((g) => g.members >= 2).length === seen.size)
  return o
}

/** the replica groups alive, by name: every name this test's orchestrator ever gave */
function liveInstances(): string[] {
  return liveReplicaGroups((instance) => seen.has(instance))
    .map((g) => g.instance)
    .sort()
}

/**
 * Checks, every few milliseconds until stopped, that no live replica group is missing from the
 * list and that no name runs twice. The list and /proc are read in the same turn, so the
 * orchestrator cannot change between the two readings.
 */
function watchInvariant(o: Orchestrator): () => string[] {
  const violations: string[] = []
  const timer = setInterval(() => {
    const listed = new Set(o.services().flatMap((s) => s.replicaStatuses.map((r) => r.name)))
    const live = liveReplicaGroups((instance) => seen.has(instance))
    const once = new Set<string>()
    for (const { instance, pgid } of live) {
      if (!listed.has(instance)) violations.push(`${instance} (group ${pgid}) runs but is not listed`)
      if (once.has(instance)) violations.push(`${instance} runs twice`)
      once.add(instance)
    }
  }, 20)
  return () => {
    clearInterval(timer)
    return [...new Set(violations)]
  }
}

describe('concurrent control actions', () => {
  it('restart replica 2, scale to 0, restart replica 1: the late restart is refused and nothing runs', async () => {
    const o = await started([slowToStop('s', 2)])
    const [first, second] = o.service('s').replicaStatuses.map((r) => r.name) as [string, string]
    const stopWatching = watchInvariant(o)

    const restartSecond = o.restartReplica(second)
    await sleep(200)
    const scaleDown = o.scale('s', 0)
    await sleep(200)
    const restartFirst = o.restartReplica(first)
    const [a, b, c] = await Promise.allSettled([restartSecond, scaleDown, restartFirst])

    expect(a.status).toBe('fulfilled')
    expect(b.status).toBe('fulfilled')
    expect(c).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } })
    expect(o.service('s').replicaStatuses).toEqual([])
    expect(liveInstances()).toEqual([])

    await o.scale('s', 1)
    await waitFor('one ready replica', () => o.service('s').state === 'running')
    expect(liveInstances()).toEqual([first])
    expect(stopWatching()).toEqual([])
  })

  it('restart replica 2, stop the service, restart replica 1: the late restart is refused and nothing runs', async () => {
    const o = await started([slowToStop('s', 2)])
    const [first, second] = o.service('s').replicaStatuses.map((r) => r.name) as [string, string]
    const stopWatching = watchInvariant(o)

    const restartSecond = o.restartReplica(second)
    await sleep(200)
    const stop = o.stopService('s')
    await sleep(200)
    const restartFirst = o.restartReplica(first)
    const [a, b, c] = await Promise.allSettled([restartSecond, stop, restartFirst])

    expect(a.status).toBe('fulfilled')
    expect(b.status).toBe('fulfilled')
    expect(c).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } })
    expect(o.service('s').state).toBe('stopped')
    expect(o.service('s').replicaStatuses.map((r) => r.state)).toEqual(['stopped', 'stopped'])
    expect(liveInstances()).toEqual([])

    await o.startService('s')
    await waitFor('running again', () => o.service('s').state === 'running')
    expect(liveInstances()).toEqual([first, second])
    expect(stopWatching()).toEqual([])
  })

  it('a replica being scaled away stays listed as stopping until its process group is gone', async () => {
    const o = await started([slowToStop('s', 2)])
    const [, second] = o.service('s').replicaStatuses.map((r) => r.name) as [string, string]
    const stopWatching = watchInvariant(o)
    const scaleDown = o.scale('s', 1)
    // the replica takes a second to exit on SIGTERM: it must show as stopping meanwhile, however loaded the machine
    await waitFor('the scaled-away replica listed as stopping', () => o.service('s').replicaStatuses.find((r) => r.name === second)?.state === 'stopping')
    await expect(o.restartReplica(second)).rejects.toMatchObject({ code: 'conflict' })
    await scaleDown
    expect(o.service('s').replicaStatuses.map((r) => r.name)).not.toContain(second)
    expect(stopWatching()).toEqual([])
  })

  it('restarting a stopped service launches each replica once and counts no restart', async () => {
    const o = await started([slowToStop('s', 2)])
    await o.stopService('s')
    const launches: string[] = []
    o.subscribe((e) => {
      if (e.type === 'replica' && e.replica.state === 'starting') launches.push(e.replica.name)
    })
    const status = await o.restartService('s')
    await waitFor('running again', () => o.service('s').state === 'running')
    expect(launches.sort()).toEqual(status.replicaStatuses.map((r) => r.name).sort())
    expect(o.service('s').restarts).toBe(0)
    expect(liveInstances()).toEqual(status.replicaStatuses.map((r) => r.name).sort())

    // a running service's restart still counts one per replica
    await o.restartService('s')
    expect(o.service('s').restarts).toBe(2)
  })

  it('stopping the application while a replica restarts leaves nothing running', async () => {
    const o = await started([slowToStop('s', 2)])
    const names = o.service('s').replicaStatuses.map((r) => r.name)
    const restart = o.restartReplica(names[0]!)
    const restartAll = o.restartService('s')
    await sleep(200)
    await o.stop()
    await Promise.allSettled([restart, restartAll])
    await sleep(300)
    expect(livePidsOf((instance) => seen.has(instance))).toEqual([])
  })
})
