// Probes of container replicas: an exec probe runs inside the container (the file it checks
// exists only there), and an http probe reaches the replica through its published port.
import type Docker from 'dockerode'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Application, Probe, ProbeCheck } from '../../../src-shared/app-model'
import { Orchestrator } from '../../../src-main/core/orchestrator'
import { binding, waitFor } from '../orchestrator-helpers'
import { containerService, engine, ensureTestImage, freePort, sweep, testApplication } from './docker-fixture'

function probe(check: ProbeCheck): Probe {
  return { check, initialDelayMs: 0, periodMs: 200, timeoutMs: 2000, successThreshold: 1, failureThreshold: 1 }
}

describe('probes of container replicas', () => {
  let docker: Docker
  const running: Orchestrator[] = []
  const applications: Application[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterEach(async () => {
    await Promise.all(running.splice(0).map((o) => o.stop().catch(() => undefined)))
    for (const application of applications.splice(0)) await sweep(docker, application)
  })

  it('runs an exec probe inside the container, and an http probe through its port', async () => {
    const application = testApplication('probes', [
      containerService('job', {
        args: ['sh', '-c', 'sleep 1.5; echo done > /tmp/ready; echo prepared; exec sleep 100'],
        readiness: probe({ kind: 'exec', command: ['cat', '/tmp/ready'] }),
      }),
      containerService('web', {
        args: ['sh', '-c', 'mkdir -p /www && echo up > /www/health && exec httpd -f -p 8080 -h /www'],
        bindings: [binding({ port: await freePort(), containerPort: 8080 })],
        readiness: probe({ kind: 'http', path: '/health', scheme: 'http', headers: [] }),
        liveness: probe({ kind: 'http', path: '/health', scheme: 'http', headers: [] }),
      }),
    ])
    applications.push(application)
    const o = new Orchestrator(application)
    running.push(o)
    await o.start()
    const job = () => o.service('job').replicaStatuses[0]!
    await waitFor('a failed check inside the container', () => job().readiness?.ok === false)
    expect(job().state).toBe('running')
    expect(job().readiness!.message).toMatch(/^cat \/tmp\/ready exited with code 1: cat: can't open '\/tmp\/ready': No such file or directory$/)
    await waitFor('job ready', () => job().state === 'ready', 20_000)
    expect(job().readiness).toMatchObject({ ok: true, message: 'cat /tmp/ready exited with code 0' })

    await waitFor('web ready', () => o.service('web').replicaStatuses[0]?.state === 'ready', 20_000)
    expect(o.service('web').replicaStatuses[0]).toMatchObject({ health: 'healthy', readiness: { message: 'GET /health answered 200' } })
  }, 60_000)
})
