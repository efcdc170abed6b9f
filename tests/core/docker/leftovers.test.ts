// After a run was killed outright, the next run of the same application removes what it
// left on the engine, and says so; a run whose process is still alive is left alone.
import type Docker from 'dockerode'
import { spawn, type ChildProcess } from 'node:child_process'
import { hostname } from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { readStat } from '../../../src-main/core/proc'
import { containerService, engine, ensureTestImage, labelled, sweep, testApplication, TEST_IMAGE } from './docker-fixture'
import { launch } from './launch-helper'

describe('leftovers of earlier runs', () => {
  let docker: Docker
  const applications: Application[] = []
  const children: ChildProcess[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
  })

  afterAll(async () => {
    for (const application of applications) await sweep(docker, application)
  })

  function app(): Application {
    const application = testApplication('leftovers', [
      containerService('db', { args: ['sleep', '300'] }),
      containerService('cache', { args: ['sleep', '300'] }),
    ])
    applications.push(application)
    return application
  }

  /** a container as a Micronetes run by process `pid` on `host` would have made it */
  async function orphan(application: Application, pid: number, host = hostname(), more: Record<string, string> = {}): Promise<string> {
    const container = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: ['sleep', '300'],
      Labels: {
        'io.micronetes.app': application.source,
        'io.micronetes.app-name': application.name,
        'io.micronetes.run': 'deadbeef',
        'io.micronetes.host': host,
        'io.micronetes.pid': String(pid),
        'io.micronetes.service': 'db',
        'io.micronetes.replica': 'db_deadbeef-1',
        ...more,
      },
      HostConfig: { Init: true },
    })
    await container.start()
    return container.id
  }

  it('removes the containers and network an abandoned run left', async () => {
    const application = app()
    const abandoned = createDockerRunner()
    await launch(abandoned, application, application.services[0]!, 1)
    await launch(abandoned, application, application.services[1]!, 1)
    expect(await labelled(docker, application)).toEqual({ containers: 2, networks: 1 })

    const next = createDockerRunner()
    const messages = await next.reapLeftovers!(application)
    expect(messages[0]).toBe(`removed 2 containers left by an earlier run of ${application.source}`)
    expect(messages[1]).toMatch(new RegExp(`^removed network micronetes-leftovers-[0-9a-f]{8} left by an earlier run of ${application.source}$`))
    expect(messages).toHaveLength(2)
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
    // nothing left: a second look finds nothing to say
    expect(await next.reapLeftovers!(application)).toEqual([])
  })

  it('removes a container whose Micronetes process is gone', async () => {
    const application = app()
    const gone = spawn('true')
    await new Promise((resolve) => gone.once('exit', resolve))
    await orphan(application, gone.pid!)

    const messages = await createDockerRunner().reapLeftovers!(application)
    expect(messages).toEqual([`removed 1 container left by an earlier run of ${application.source}`])
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
  })

  it('leaves alone a run whose process is alive, and runs on another machine', async () => {
    const application = app()
    const alive = spawn('sleep', ['300'])
    children.push(alive)
    await orphan(application, alive.pid!)
    await orphan(application, 1, 'some-other-machine')

    const messages = await createDockerRunner().reapLeftovers!(application)
    expect(messages).toEqual([
      `left 1 container of ${application.source} alone: the Micronetes process that runs them is still alive`,
      `left 1 container of ${application.source} alone: another machine started them`,
    ])
    expect(await labelled(docker, application)).toEqual({ containers: 2, networks: 0 })
  })

  it('knows a pid that another process took over since, by its start time', async () => {
    const application = app()
    const alive = spawn('sleep', ['300'])
    children.push(alive)
    const startTime = readStat(alive.pid!)?.startTime
    if (startTime === undefined) return // no /proc here: the pid alone is all there is
    await orphan(application, alive.pid!, hostname(), { 'io.micronetes.pid-start': String(startTime - 1) })
    await orphan(application, alive.pid!, hostname(), { 'io.micronetes.pid-start': String(startTime) })

    const messages = await createDockerRunner().reapLeftovers!(application)
    expect(messages).toEqual([
      `removed 1 container left by an earlier run of ${application.source}`,
      `left 1 container of ${application.source} alone: the Micronetes process that runs them is still alive`,
    ])
  })

  it('touches nothing of another application', async () => {
    const mine = app()
    const other = app()
    const gone = spawn('true')
    await new Promise((resolve) => gone.once('exit', resolve))
    await orphan(other, gone.pid!)

    expect(await createDockerRunner().reapLeftovers!(mine)).toEqual([])
    expect(await labelled(docker, other)).toEqual({ containers: 1, networks: 0 })
  })
})
