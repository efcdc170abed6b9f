// DOCKER_HOST=tcp://… reaches an engine over plain TCP. The engine here listens on its unix
// socket only, so the test puts a TCP forwarder in front of that socket.
import type Docker from 'dockerode'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { defaultSocketPath } from '../../../src-main/core/docker/engine-address'
import { containerService, engine, ensureTestImage, sweep, testApplication } from './docker-fixture'
import { launch, texts } from './launch-helper'

describe('an engine over tcp', () => {
  let docker: Docker
  let forwarder: Server
  const sockets = new Set<Socket>()
  let application: Application | undefined

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
    forwarder = createServer((client) => {
      const upstream = createConnection(defaultSocketPath())
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.once('close', () => sockets.delete(socket))
        socket.on('error', () => undefined)
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve))
  }, 120_000)

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => forwarder?.close(resolve))
    if (application) await sweep(docker, application)
  })

  it('runs a container through tcp://127.0.0.1:port', async () => {
    const { port } = forwarder.address() as { port: number }
    const runner = createDockerRunner({ dockerHost: `tcp://127.0.0.1:${port}` })
    const service = containerService('remote', { args: ['sh', '-c', 'echo "over tcp as $APP_INSTANCE"'] })
    application = testApplication('tcp-engine', [service])
    const { handle, lines } = await launch(runner, application, service, 1)
    expect((await handle.exited).exitCode).toBe(0)
    expect(texts(lines, 'stdout')).toEqual(['over tcp as remote_test-1'])
    // an engine on this machine's loopback is local: containers reach the host at its bridge
    if (process.platform === 'linux') expect((await runner.hostAddresses!()).length).toBeGreaterThan(0)
    await runner.dispose?.()
  })
})
