// Resource figures of real replicas through the HTTP API: a replica whose child burns CPU and
// one that grows its memory, as processes and as containers, show it within a few seconds.
import type Docker from 'dockerode'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResourcesView } from '../../src-shared/resources'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'
import { engine, ensureTestImage, sweep, testApplication, TEST_IMAGE } from '../core/docker/docker-fixture'
import { program, waitFor } from '../core/orchestrator-helpers'

const MB = 1024 * 1024

describe('resources of running replicas', () => {
  let docker: Docker
  let session: Session
  let api: ApiServer
  const application = testApplication('resources', [])

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
    writeFileSync(
      application.source,
      [
        'services:',
        `  - { name: burner, executable: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(program('burn-cpu.mjs'))}] }`,
        `  - { name: grower, executable: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(program('grow-memory.mjs'))}] }`,
        `  - { name: cburner, image: ${TEST_IMAGE}, args: [sh, -c, 'while :; do :; done'] }`,
        // files in /dev/shm are memory the container's cgroup is charged for: 2 MB more each 100 ms up to 40 MB
        `  - { name: cgrower, image: ${TEST_IMAGE}, args: [sh, -c, 'i=0; while [ $i -lt 20 ]; do cat /bin/busybox >> /dev/shm/grow; i=$((i+1)); sleep 0.1; done; echo grown; exec sleep 600'] }`,
      ].join('\n'),
    )
    session = new Session()
    const info = await session.open(application.source)
    if (info.state !== 'running') throw new Error(`did not start: ${info.message ?? info.state}`)
    api = await startApiServer({ port: 0, session, dashboardDir: null })
  }, 120_000)

  afterAll(async () => {
    await api?.close()
    await session?.close()
    if (docker) await sweep(docker, application)
  })

  async function resources(): Promise<ResourcesView> {
    const response = await fetch(`${api.url}/api/v1/resources`)
    expect(response.status).toBe(200)
    const v = (await response.json()) as ResourcesView
    return v
  }

  const figure = (view: ResourcesView, service: string) => view.latest?.replicas.find((r) => r.service === service)

  it('shows CPU burnt by a replica and its descendants, process and container', async () => {
    const started = Date.now()
    // a busy loop takes a whole core on an idle machine; a shared one gives it less
    const view = await waitFor('burners above 10% CPU', async () => {
      const v = await resources()
      return (figure(v, 'burner')?.cpuPercent ?? 0) > 10 && (figure(v, 'cburner')?.cpuPercent ?? 0) > 10 && v
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    // the quiet ones are not charged for it
    expect(figure(view, 'cgrower')!.cpuPercent).toBeLessThan(figure(view, 'cburner')!.cpuPercent / 2)
    // history: at least two readings each, in time order
    const history = view.history.find((h) => h.service === 'burner')!
    expect(history.time.length).toBeGreaterThanOrEqual(2)
    expect([...history.time].sort((a, b) => a - b)).toEqual(history.time)
    expect(history.cpuPercent.at(-1)).toBeGreaterThan(10)
  })

  it('shows memory growing, process and container', async () => {
    const view = await waitFor('growers above 150 MB and 30 MB', async () => {
      const v = await resources()
      return (figure(v, 'grower')?.memoryBytes ?? 0) > 150 * MB && (figure(v, 'cgrower')?.memoryBytes ?? 0) > 30 * MB && v
    })
    expect(figure(view, 'cburner')!.memoryBytes).toBeLessThan(10 * MB)
    expect(figure(view, 'burner')!.memoryBytes).toBeLessThan(150 * MB)
    const history = view.history.find((h) => h.service === 'grower')!
    // it was seen growing, not only grown
    expect(Math.min(...history.memoryBytes)).toBeLessThan(Math.max(...history.memoryBytes) / 2)
    // Prometheus text carries the same figures
    const text = await (await fetch(`${api.url}/api/v1/metrics/grower`)).text()
    const memory = Number(/^micronetes_replica_memory_bytes\{service="grower",[^}]*\} (\d+)$/m.exec(text)?.[1])
    expect(memory).toBeGreaterThan(150 * MB)
  })
})
