// A container calls the host through host.docker.internal. On a Linux engine that lands on
// the bridge gateway, not on loopback: the runner names the addresses where a listener must
// be for a container to reach it.
import type Docker from 'dockerode'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { containerService, engine, ensureTestImage, sweep, testApplication } from './docker-fixture'
import { launch, texts } from './launch-helper'

function listen(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((_request, response) => response.end(`reached ${host}\n`))
    server.once('error', reject)
    server.listen(0, host, () => resolve(server))
  })
}

describe('host addresses', () => {
  let docker: Docker
  let application: Application | undefined
  const servers: Server[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterAll(async () => {
    for (const server of servers) server.close()
    if (application) await sweep(docker, application)
  })

  it('names where a container arrives when it calls host.docker.internal', async () => {
    const runner = createDockerRunner()
    const addresses = await runner.hostAddresses!()
    if (process.platform !== 'linux') {
      expect(addresses).toEqual([])
      return
    }
    expect(addresses.length).toBeGreaterThan(0)

    const loopback = await listen('127.0.0.1')
    const gateway = await listen(addresses[0]!)
    servers.push(loopback, gateway)
    const port = (server: Server) => (server.address() as { port: number }).port
    const probe = (label: string, target: number) =>
      `wget -q -O - http://host.docker.internal:${target}/ || echo "${label} unreachable"`
    const caller = containerService('caller', {
      args: ['sh', '-c', `${probe('gateway', port(gateway))}; ${probe('loopback', port(loopback))}`],
    })
    application = testApplication('gateway', [caller])
    const { handle, lines } = await launch(runner, application, caller, 1)
    await handle.exited
    expect(texts(lines, 'stdout')).toEqual([`reached ${addresses[0]}`, 'loopback unreachable'])
  })

  it('has none to offer when the engine is not reachable', async () => {
    expect(await createDockerRunner({ dockerHost: 'unix:///nonexistent/docker.sock' }).hostAddresses!()).toEqual([])
  })
})
