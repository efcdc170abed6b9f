// What the user sees when the engine cannot help: no engine at the address, an address that
// makes no sense, an image that cannot be pulled. `launch` rejects with a message a person
// can act on, so the orchestrator fails only the container services.
import type Docker from 'dockerode'
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { defaultSocketPath } from '../../../src-main/core/docker/engine-address'
import { containerService, engine, ensureTestImage, freePort, labelled, sweep, testApplication } from './docker-fixture'
import { launch, launchRequest, texts, type LoggedLine } from './launch-helper'

describe('engine failures', () => {
  let docker: Docker
  const applications: Application[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterAll(async () => {
    for (const application of applications) await sweep(docker, application)
  })

  function app(image?: string): Application {
    const application = testApplication('failures', [containerService('web', image ? { image } : {})])
    applications.push(application)
    return application
  }

  it('names the socket and the reason when no engine listens there', async () => {
    const application = app()
    const runner = createDockerRunner({ dockerHost: 'unix:///nonexistent/docker.sock' })
    await expect(runner.launch(launchRequest(application, application.services[0]!, 1, [], []))).rejects.toThrow(
      'Docker engine not reachable at unix:///nonexistent/docker.sock: connect ENOENT /nonexistent/docker.sock',
    )
    // looking for leftovers does not throw: the launch already says what is wrong
    expect(await runner.reapLeftovers!(application)).toEqual([
      'did not look for containers left by earlier runs: Docker engine not reachable at unix:///nonexistent/docker.sock: connect ENOENT /nonexistent/docker.sock',
    ])
    await runner.dispose?.()
  })

  it('names the host and the reason for a tcp engine that refuses', async () => {
    const application = app()
    const port = await freePort()
    const runner = createDockerRunner({ dockerHost: `tcp://127.0.0.1:${port}` })
    await expect(runner.launch(launchRequest(application, application.services[0]!, 1, [], []))).rejects.toThrow(
      `Docker engine not reachable at tcp://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    )
  })

  it('names the ssh host and the reason for an ssh engine that cannot be reached', async () => {
    const application = app()
    const port = await freePort()
    const runner = createDockerRunner({ dockerHost: `ssh://dev@127.0.0.1:${port}` })
    await expect(runner.launch(launchRequest(application, application.services[0]!, 1, [], []))).rejects.toThrow(
      `Docker engine not reachable at ssh://dev@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    )
  })

  it('rejects a malformed address at launch, not at creation', async () => {
    const application = app()
    const runner = createDockerRunner({ dockerHost: 'ftp://example' })
    await expect(runner.launch(launchRequest(application, application.services[0]!, 1, [], []))).rejects.toThrow(
      'DOCKER_HOST "ftp://example": unsupported scheme ftp: (expected unix, tcp or ssh)',
    )
  })

  it('reports a failed pull with the engine reason, and logs the attempt', async () => {
    const image = 'micronetes-test/no-such-image:404'
    const application = app(image)
    const lines: LoggedLine[] = []
    const runner = createDockerRunner()
    const launched = runner.launch(launchRequest(application, application.services[0]!, 1, [], lines))
    // offline the engine cannot resolve the registry; online the registry has no such repository
    await expect(launched).rejects.toThrow(new RegExp(`^cannot pull image ${image}: .+`))
    expect(texts(lines, 'system')).toContain(`image ${image} is not on the engine: pulling it`)
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
    await runner.dispose?.()
  }, 60_000)

  it('gives up stopping a container on an engine that went away, and says so', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-engine-'))
    const socket = join(folder, 'docker.sock')
    symlinkSync(defaultSocketPath(), socket)
    try {
      const service = containerService('web', { args: ['sleep', '300'] })
      const application = testApplication('failures', [service])
      applications.push(application)
      const { handle, lines } = await launch(createDockerRunner({ dockerHost: `unix://${socket}` }), application, service, 1)
      unlinkSync(socket)
      expect(await handle.stop(1000)).toEqual({ exitCode: null, signal: null })
      expect(texts(lines, 'system').at(-1)).toBe(`could not remove container ${handle.containerId!.slice(0, 12)}: it may still be running on the engine`)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
