// Two container services in one application share a network where each reaches the other
// by service name; disposing the runner removes that network.
import type Docker from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import type { ReplicaHandle } from '../../../src-main/core/runner'
import { containerService, engine, ensureTestImage, labelled, sweep, testApplication } from './docker-fixture'
import { launch, texts } from './launch-helper'

describe('application network', () => {
  let docker: Docker
  let application: Application | undefined
  const handles: ReplicaHandle[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.stop(0).catch(() => undefined)))
    if (application) await sweep(docker, application)
  })

  it('lets containers reach each other by service name, and goes away on dispose', async () => {
    const api = containerService('api', {
      args: ['sh', '-c', 'mkdir -p /www && echo "api says $APP_INSTANCE" > /www/index.html && exec httpd -f -p 8080 -h /www'],
    })
    const client = containerService('client', {
      // the engine's DNS answers for `api` once that container joined the network
      args: ['sh', '-c', 'i=0; while [ $i -lt 50 ]; do wget -q -O - http://api:8080/ && exit 0; i=$((i+1)); sleep 0.2; done; exit 1'],
    })
    application = testApplication('networked', [api, client])
    const runner = createDockerRunner()

    const server = await launch(runner, application, api, 1)
    handles.push(server.handle)
    const caller = await launch(runner, application, client, 1)
    handles.push(caller.handle)

    expect((await caller.handle.exited).exitCode).toBe(0)
    expect(texts(caller.lines, 'stdout')).toContain('api says api_test-1')
    expect(await labelled(docker, application)).toEqual({ containers: 1, networks: 1 })

    await server.handle.stop(5000)
    await runner.dispose?.()
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
  })

  it("joins Tye's named network: one that exists is used and left in place, a missing one is made for the run and removed", async () => {
    const existing = `micronetes-test-net-${process.pid}`
    await docker.createNetwork({ Name: existing, Driver: 'bridge' })
    try {
      for (const [network, keptAfter] of [[existing, true], [`${existing}-new`, false]] as const) {
        const service = containerService('solo', { args: ['sleep', '30'] })
        const app = { ...testApplication('named-net', [service]), network }
        const runner = createDockerRunner()
        const run = await launch(runner, app, service, 1)
        const info = await docker.getContainer(run.handle.containerId!).inspect()
        expect(Object.keys(info.NetworkSettings.Networks)).toEqual([network])
        await run.handle.stop(0)
        await runner.dispose?.()
        const left = await docker.listNetworks({ filters: { name: [network] } })
        expect(left.some((n) => n.Name === network)).toBe(keptAfter)
        await sweep(docker, app)
      }
    } finally {
      await docker.getNetwork(existing).remove().catch(() => undefined)
    }
  })
})
