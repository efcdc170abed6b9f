// Container services run by the orchestrator, as a user runs an application: replicas behind
// the proxy, discovery variables and logs, a clean stop, and an unreachable engine that fails
// only the container services.
import type Docker from 'dockerode'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { defaultSocketPath } from '../../../src-main/core/docker/engine-address'
import { Orchestrator } from '../../../src-main/core/orchestrator'
import { binding, killIfAlive, nodeService } from '../orchestrator-helpers'
import { containerService, engine, ensureTestImage, freePort, labelled, sweep, testApplication, waitFor } from './docker-fixture'

function connectTo(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', reject)
  })
}

const HTTP_SERVER = 'env; mkdir -p /www && echo "$APP_INSTANCE" > /www/index.html && exec httpd -f -p 8080 -h /www'

describe('container services in an application', () => {
  let docker: Docker
  const running: Orchestrator[] = []
  const applications: Application[] = []
  const pids = new Set<number>()
  const savedDockerHost = process.env.DOCKER_HOST

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterEach(async () => {
    if (savedDockerHost === undefined) delete process.env.DOCKER_HOST
    else process.env.DOCKER_HOST = savedDockerHost
    await Promise.all(running.splice(0).map((orchestrator) => orchestrator.stop().catch(() => undefined)))
    killIfAlive(pids)
    pids.clear()
    for (const application of applications.splice(0)) await sweep(docker, application)
  })

  function start(application: Application): Orchestrator {
    applications.push(application)
    const orchestrator = new Orchestrator(application)
    running.push(orchestrator)
    orchestrator.subscribe((event) => {
      if (event.type === 'replica' && event.replica.pid) pids.add(event.replica.pid)
    })
    return orchestrator
  }

  async function body(port: number): Promise<string> {
    // the engine's port forwarder accepts before the server inside listens: retry until it answers
    return waitFor(async () => (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim() || undefined, `an answer on ${port}`)
  }

  it('answers in turn from two container replicas behind the proxy, with discovery variables and logs', async () => {
    const webPort = await freePort()
    const apiPort = await freePort()
    const application = testApplication('two-replicas', [
      containerService('web', { args: ['sh', '-c', HTTP_SERVER], replicas: 2, bindings: [binding({ port: webPort, containerPort: 8080 })] }),
      nodeService('api', 'echo-server.mjs', { bindings: [binding({ port: apiPort })] }),
    ])
    const orchestrator = start(application)
    await orchestrator.start()
    await waitFor(async () => (orchestrator.service('web').replicaStatuses.every((r) => r.state === 'ready') ? true : undefined), 'two ready web replicas')

    const replicas = orchestrator.service('web').replicaStatuses
    expect(replicas.map((r) => r.containerId)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)])
    // each container answers on its own published port before the round robin is checked
    for (const replica of replicas) expect(await body(replica.ports[0]!)).toBe(replica.name)
    const answers: string[] = []
    for (let i = 0; i < 4; i++) answers.push(await body(webPort))
    const names = replicas.map((r) => r.name)
    expect(new Set(answers)).toEqual(new Set(names))
    expect(answers[0]).not.toBe(answers[1])
    expect(answers.slice(0, 2)).toEqual(answers.slice(2, 4))

    // the engine's log stream may deliver lines after the answers: wait for the last one looked at
    const log = await waitFor(async () => {
      const lines = orchestrator.logs({ service: 'web' }).map((line) => line.text)
      return lines.includes(`API_SERVICE_PORT=${apiPort}`) ? lines : undefined
    }, "web's environment in its log")
    expect(log).toContain('SERVICE__API__HOST=host.docker.internal')
    expect(log).toContain(`SERVICE__API__PORT=${apiPort}`)
    expect(log).toContain(`API_SERVICE_PORT=${apiPort}`)
    for (const name of names) expect(log).toContain(`APP_INSTANCE=${name}`)
    expect(log).toContain('PORT=8080')
  })

  it('lets a container call a process service through its discovery variables', async () => {
    const apiPort = await freePort()
    const application = testApplication('container-calls-host', [
      containerService('caller', {
        restart: 'never',
        args: ['sh', '-c', 'i=0; while [ $i -lt 50 ]; do wget -q -O - "http://$SERVICE__API__HOST:$SERVICE__API__PORT/" && exit 0; i=$((i+1)); sleep 0.2; done; exit 1'],
      }),
      nodeService('api', 'echo-server.mjs', { bindings: [binding({ port: apiPort })] }),
    ])
    const orchestrator = start(application)
    await orchestrator.start()
    const done = await waitFor(async () => orchestrator.service('caller').replicaStatuses.find((r) => r.state === 'stopped' || r.state === 'crashed'), 'the caller to finish', 20_000)
    expect(done.exitCode).toBe(0)
    const api = orchestrator.service('api').replicaStatuses[0]!.name
    await waitFor(async () => (orchestrator.logs({ service: 'caller' }).some((line) => line.text.includes(`"instance":"${api}"`)) ? true : undefined), "the api's answer in the caller's log")

    // the relay from the bridge goes with the application
    await orchestrator.stop()
    for (const gateway of await createDockerRunner().hostAddresses!()) {
      await expect(connectTo(gateway, apiPort)).rejects.toThrow('ECONNREFUSED')
    }
  })

  it('removes every container and the network on stop', async () => {
    const application = testApplication('stop-cleans', [
      containerService('db', { args: ['sleep', '300'] }),
      containerService('cache', { args: ['sleep', '300'], replicas: 2 }),
    ])
    const orchestrator = start(application)
    await orchestrator.start()
    await waitFor(async () => (orchestrator.services().every((s) => s.replicaStatuses.every((r) => r.state === 'ready')) ? true : undefined), 'every replica ready')
    expect(await labelled(docker, application)).toEqual({ containers: 3, networks: 1 })

    await orchestrator.stop()
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
  })

  it('fails only the container service while the engine is unreachable, and runs it on restart once it is back', async () => {
    // a socket path that leads nowhere now, and to the real engine once a link is made
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-engine-'))
    const socket = join(folder, 'docker.sock')
    process.env.DOCKER_HOST = `unix://${socket}`
    try {
      const application = testApplication('engine-down', [
        containerService('web', { args: ['sleep', '300'] }),
        nodeService('api', 'echo-server.mjs', { bindings: [binding({ port: await freePort() })] }),
      ])
      const orchestrator = start(application)
      await orchestrator.start()
      const failed = await waitFor(async () => orchestrator.service('web').replicaStatuses.find((r) => r.state === 'failed'), 'the web replica to fail')
      expect(failed.message).toBe(`Docker engine not reachable at unix://${socket}: connect ENOENT ${socket}`)
      expect(orchestrator.service('web').state).toBe('failed')
      await waitFor(async () => (orchestrator.service('api').replicaStatuses[0]?.state === 'ready' ? true : undefined), 'the api process to be ready')
      expect(orchestrator.logs({ service: 'web' }).map((line) => line.text)).toContain(failed.message)

      symlinkSync(defaultSocketPath(), socket)
      await orchestrator.restartService('web')
      await waitFor(async () => (orchestrator.service('web').replicaStatuses[0]?.state === 'ready' ? true : undefined), 'the web container to be ready')
      expect(await labelled(docker, application)).toEqual({ containers: 1, networks: 0 })
      // stopped while the link still leads to the engine
      await orchestrator.stop()
      expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
