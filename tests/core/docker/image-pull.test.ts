// Pulling a missing image, against a registry on 127.0.0.1 (the internet is out of reach):
// progress in the replica's log, then the container runs; an unknown name fails the launch
// with the engine's reason.
import type Docker from 'dockerode'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { busyboxRootfs, containerService, engine, sweep, testApplication } from './docker-fixture'
import { launch, launchRequest, texts, type LoggedLine } from './launch-helper'
import { startLocalRegistry, type LocalRegistry } from './local-registry'

describe('image pull', () => {
  let docker: Docker
  let registry: LocalRegistry
  let image: string
  const applications: Application[] = []

  beforeAll(async () => {
    docker = await engine()
    const rootfs = busyboxRootfs(['sh', 'echo'])
    try {
      registry = await startLocalRegistry('micronetes-test/pulled', '1', rootfs, ['sh'])
    } finally {
      rmSync(rootfs, { recursive: true, force: true })
    }
    image = `${registry.address}/micronetes-test/pulled:1`
  })

  afterAll(async () => {
    for (const application of applications) await sweep(docker, application)
    await docker?.getImage(image).remove({ force: true }).catch(() => undefined)
    await registry?.close()
  })

  function app(serviceImage: string, args: string[] = []): Application {
    const application = testApplication('pull', [containerService('puller', { image: serviceImage, args })])
    applications.push(application)
    return application
  }

  it('pulls a missing image, shows the progress in the log, then runs it', async () => {
    const application = app(image, ['sh', '-c', 'echo running from the pulled image'])
    const { handle, lines } = await launch(createDockerRunner(), application, application.services[0]!, 1)
    expect((await handle.exited).exitCode).toBe(0)

    const system = texts(lines, 'system')
    expect(system[0]).toBe(`image ${image} is not on the engine: pulling it`)
    expect(system).toContain(`pull ${image}: ${registry.layerId}: Pull complete`)
    expect(system.some((line) => line.startsWith(`pull ${image}: ${registry.layerId}: Downloading `) && line.endsWith(' MB'))).toBe(true)
    expect(system.at(-1)).toBe(`pulled ${image}`)
    expect(texts(lines, 'stdout')).toEqual(['running from the pulled image'])
    expect(registry.requests.some((request) => request.endsWith('/v2/micronetes-test/pulled/manifests/1 200'))).toBe(true)

    // now on the engine: the next replica starts without pulling
    const again = await launch(createDockerRunner(), application, application.services[0]!, 2)
    await again.handle.exited
    expect(texts(again.lines, 'system')).toEqual([])
  })

  it('pulls once for replicas launched together; the progress goes to one log only', async () => {
    await docker.getImage(image).remove({ force: true }).catch(() => undefined)
    const layerFetches = () => registry.requests.filter((request) => request.startsWith('GET /v2/micronetes-test/pulled/blobs/') && request.includes(registry.layerId)).length
    const fetchedBefore = layerFetches()
    const application = app(image, ['sh', '-c', 'echo up'])
    const runner = createDockerRunner()
    const replicas = await Promise.all([1, 2].map((ordinal) => launch(runner, application, application.services[0]!, ordinal)))
    await Promise.all(replicas.map((replica) => replica.handle.exited))

    const logs = replicas.map((replica) => texts(replica.lines, 'system'))
    const milestones = [`image ${image} is not on the engine: pulling it`, `pulled ${image}`]
    const [withProgress, withMilestones] = logs[0]!.length > 2 ? logs : [logs[1]!, logs[0]!]
    expect(withMilestones).toEqual(milestones)
    expect(withProgress!.length).toBeGreaterThan(2)
    expect(withProgress).toContain(`pull ${image}: ${registry.layerId}: Pull complete`)
    expect(layerFetches() - fetchedBefore).toBe(1)
  })

  it('fails the launch with the engine reason for a name the registry does not know', async () => {
    const absent = `${registry.address}/micronetes-test/absent:1`
    const application = app(absent)
    const lines: LoggedLine[] = []
    const launched = createDockerRunner().launch(launchRequest(application, application.services[0]!, 1, [], lines))
    await expect(launched).rejects.toThrow(new RegExp(`^cannot pull image ${absent}: .*(not found|unknown)`))
  })
})
