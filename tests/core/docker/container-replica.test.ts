// One container per replica against the real engine: environment, log lines, published
// ports, exit codes, and removal on exit and on stop.
import type Docker from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import type { ReplicaHandle, ReplicaRunner } from '../../../src-main/core/runner'
import { containerService, engine, ensureTestImage, freePort, labelled, sweep, testApplication, waitFor } from './docker-fixture'
import { launch, texts } from './launch-helper'

const HTTP_SERVER = 'mkdir -p /www && echo "hello from $APP_INSTANCE" > /www/index.html && exec httpd -f -p 8080 -h /www'

describe('container replicas', () => {
  let docker: Docker
  let runner: ReplicaRunner
  const applications: Application[] = []
  const handles: ReplicaHandle[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
    runner = createDockerRunner()
  }, 120_000)

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.stop(0).catch(() => undefined)))
    await runner?.dispose?.().catch(() => undefined)
    for (const application of applications) await sweep(docker, application)
  })

  function app(...services: Parameters<typeof testApplication>[1]): Application {
    const application = testApplication('containers', services)
    applications.push(application)
    return application
  }

  it('gives the container its environment and turns stdout and stderr into lines', async () => {
    const service = containerService('printer', {
      args: ['sh', '-c', 'env; echo "to stderr" >&2; printf "last line without newline"'],
    })
    const application = app(service)
    const { handle, lines } = await launch(runner, application, service, 1, [], {
      GREETING: 'hello world',
      SERVICE__API__HOST: 'host.docker.internal',
    })
    handles.push(handle)
    expect(handle.containerId).toMatch(/^[0-9a-f]{64}$/)
    expect(handle.commandLine).toEqual(['sh', '-c', 'env; echo "to stderr" >&2; printf "last line without newline"'])

    const exit = await handle.exited
    expect(exit.exitCode).toBe(0)
    const stdout = texts(lines, 'stdout')
    expect(stdout).toContain('GREETING=hello world')
    expect(stdout).toContain('SERVICE__API__HOST=host.docker.internal')
    expect(stdout).toContain('APP_INSTANCE=printer_test-1')
    expect(stdout.at(-1)).toBe('last line without newline')
    expect(texts(lines, 'stderr')).toEqual(['to stderr'])
    // a container that exited by itself is removed, so restarts do not pile them up
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
  })

  it('reports the exit code of a failing container', async () => {
    const service = containerService('failing', { args: ['sh', '-c', 'echo bye; exit 3'] })
    const { handle, lines } = await launch(runner, app(service), service, 1)
    handles.push(handle)
    expect((await handle.exited).exitCode).toBe(3)
    expect(texts(lines, 'stdout')).toEqual(['bye'])
  })

  it('publishes each replica on its own port on 127.0.0.1 and stops it with SIGTERM', async () => {
    const service = containerService('web', {
      args: ['sh', '-c', HTTP_SERVER],
      replicas: 2,
      bindings: [{ port: 5005, containerPort: 8080, host: 'localhost', protocol: 'http' }],
    })
    const application = app(service)
    const ports = [await freePort(), await freePort()]
    const replicas = await Promise.all([
      launch(runner, application, service, 1, [ports[0]!]),
      launch(runner, application, service, 2, [ports[1]!]),
    ])
    handles.push(...replicas.map((replica) => replica.handle))

    const answers = await Promise.all(
      ports.map((port) => waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).text(), `an answer on port ${port}`)),
    )
    expect(answers).toEqual(['hello from web_test-1\n', 'hello from web_test-2\n'])
    expect(await labelled(docker, application)).toEqual({ containers: 2, networks: 0 })

    const exits = await Promise.all(replicas.map((replica) => replica.handle.stop(10_000)))
    // 143 = 128 + SIGTERM: the init process passed the signal on; without it busybox
    // would ignore SIGTERM and be killed (137) after the grace period
    expect(exits.map((exit) => exit.exitCode)).toEqual([143, 143])
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
    await expect(fetch(`http://127.0.0.1:${ports[0]}/`)).rejects.toThrow()
  })

  it('labels its containers with application, service, replica and run', async () => {
    const service = containerService('labelled', { args: ['sleep', '300'] })
    const application = app(service)
    const { handle } = await launch(runner, application, service, 1)
    handles.push(handle)
    const info = await docker.getContainer(handle.containerId!).inspect()
    expect(info.Config.Labels).toMatchObject({
      'io.micronetes.app': application.source,
      'io.micronetes.app-name': 'containers',
      'io.micronetes.service': 'labelled',
      'io.micronetes.replica': 'labelled_test-1',
    })
    expect(info.Config.Labels['io.micronetes.run']).toMatch(/^[0-9a-f]{8}$/)
    expect(info.HostConfig.RestartPolicy?.Name).toBe('no')
    expect(info.HostConfig.ExtraHosts).toContain('host.docker.internal:host-gateway')
    await handle.stop(0)
    // stopping twice is harmless: the second stop finds it gone
    expect((await handle.stop(0)).exitCode).not.toBe(0)
  })
})
