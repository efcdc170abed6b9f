// examples/docker as a user runs it: the Node frontend (a process) asks the backend (two
// busybox containers behind the proxy) and relays who answered; the watcher (a container)
// calls the frontend. The example's image is swapped for the test image, and its fixed ports
// for free ones.
import type Docker from 'dockerode'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { loadApplication } from '../../../src-main/core/config/load-application'
import { Orchestrator } from '../../../src-main/core/orchestrator'
import { engine, ensureTestImage, freePort, labelled, sweep, TEST_IMAGE, waitFor } from './docker-fixture'

const example = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'docker')

describe('examples/docker', () => {
  let docker: Docker
  let application: Application | undefined
  let orchestrator: Orchestrator | undefined

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterAll(async () => {
    try {
      await orchestrator?.stop()
    } finally {
      if (application) await sweep(docker, application)
    }
  })

  it('serves the frontend with answers from both backend containers', async () => {
    // a copy, so this run's labels match no one else's run of the example
    const copy = mkdtempSync(join(tmpdir(), 'micronetes-example-'))
    cpSync(example, copy, { recursive: true })
    const loaded = await loadApplication(join(copy, 'app.yaml'))
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => JSON.stringify(p)).join('\n'))
    application = loaded.application
    const frontend = application.services.find((s) => s.name === 'frontend')!
    const backend = application.services.find((s) => s.name === 'backend')!
    const watcher = application.services.find((s) => s.name === 'watcher')!
    expect(backend).toMatchObject({ kind: 'container', replicas: 2, image: 'micronetes-example/busybox:1' })
    backend.image = TEST_IMAGE
    watcher.image = TEST_IMAGE
    frontend.bindings[0]!.port = await freePort()
    backend.bindings[0]!.port = await freePort()

    orchestrator = new Orchestrator(application)
    await orchestrator.start()
    await waitFor(
      async () => (orchestrator!.services().every((s) => s.replicaStatuses.length > 0 && s.replicaStatuses.every((r) => r.state === 'ready')) ? true : undefined),
      'every replica ready',
    )

    const seen = new Set<string>()
    await waitFor(async () => {
      const answer = await (await fetch(`http://127.0.0.1:${frontend.bindings[0]!.port}/`)).text()
      expect(answer).toMatch(/^frontend_[0-9a-f]{8}-1 asked the backend, which said: hello from backend_[0-9a-f]{8}-[12]\n$/)
      seen.add(answer.slice(answer.lastIndexOf(' ') + 1).trim())
      return seen.size === 2 ? true : undefined
    }, 'answers from both backend replicas')
    expect([...seen].sort()).toEqual(orchestrator.service('backend').replicaStatuses.map((r) => r.name).sort())
    // what the backend writes on stderr arrives in the service's log: through the engine's log
    // stream, which may deliver it after the answer reached the client
    await waitFor(async () => {
      const backendLog = orchestrator!.logs({ service: 'backend' }).filter((line) => line.stream === 'stderr').map((line) => line.text)
      return [...seen].every((name) => backendLog.includes(`${name} answered GET /cgi-bin/hello`)) ? true : undefined
    }, "each backend replica's stderr line in its log")

    // the watcher, a container, calls the frontend, a process, through host.docker.internal
    await waitFor(
      async () => (orchestrator!.logs({ service: 'watcher' }).some((line) => /^frontend_[0-9a-f]{8}-1 asked the backend, which said: hello from /.test(line.text)) ? true : undefined),
      'the watcher to log an answer of the frontend',
    )
    expect(await labelled(docker, application)).toEqual({ containers: 3, networks: 1 })

    await orchestrator.stop()
    expect(await labelled(docker, application)).toEqual({ containers: 0, networks: 0 })
  })
})
