// A run killed outright together with its orphan watchdog (SIGKILL to both: a crash, the OOM
// killer, a machine that went down) leaves its containers and network behind; the next start
// of the same application removes them before it publishes ports, and says so.
import type Docker from 'dockerode'
import { build } from 'esbuild'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Application } from '../../../src-shared/app-model'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import { LABEL } from '../../../src-main/core/docker/labels'
import { Orchestrator } from '../../../src-main/core/orchestrator'
import type { ReplicaRunner } from '../../../src-main/core/runner'
import { binding } from '../orchestrator-helpers'
import { containerService, engine, ensureTestImage, freePort, labelled, sweep, testApplication, waitFor } from './docker-fixture'

const here = dirname(fileURLToPath(import.meta.url))
// inside the repository, so the bundle finds dockerode in node_modules
const bundle = join(here, '..', '..', '..', 'node_modules', '.cache', 'micronetes-tests', 'run-application.mjs')

/** the Docker runner, keeping what reapLeftovers said */
function recordingRunner(said: string[]): ReplicaRunner {
  const runner = createDockerRunner()
  return {
    kind: runner.kind,
    launch: (launch) => runner.launch(launch),
    reapLeftovers: async (application) => {
      const messages = (await runner.reapLeftovers?.(application)) ?? []
      said.push(...messages)
      return messages
    },
    dispose: () => runner.dispose?.() ?? Promise.resolve(),
  }
}

describe('a killed run', () => {
  let docker: Docker
  let application: Application
  let child: ChildProcess | undefined
  let next: Orchestrator | undefined

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
    await build({
      entryPoints: [join(here, 'fixtures', 'run-application.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    })
  }, 120_000)

  afterAll(async () => {
    child?.kill('SIGKILL')
    await next?.stop().catch(() => undefined)
    if (application) await sweep(docker, application)
  })

  it('leaves containers that the next start removes, and says so', async () => {
    const port = await freePort()
    application = testApplication('killed', [
      containerService('web', {
        args: ['sh', '-c', 'mkdir -p /www && echo "$APP_INSTANCE" > /www/index.html && exec httpd -f -p 8080 -h /www'],
        bindings: [binding({ port, containerPort: 8080 })],
      }),
      containerService('worker', { args: ['sleep', '300'] }),
    ])
    const appJson = join(application.directory, 'app.json')
    writeFileSync(appJson, JSON.stringify(application))

    child = spawn(process.execPath, [bundle, appJson], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const watchdog = await waitFor(async () => /ready (\d*)/.exec(output)?.[1], 'the first run to be ready', 30_000)
    const firstRun = await docker.listContainers({ filters: { label: [`${LABEL.app}=${application.source}`] } })
    expect(firstRun).toHaveLength(2)

    const exited = new Promise((resolve) => child!.once('exit', resolve))
    if (watchdog) process.kill(Number(watchdog), 'SIGKILL')
    child.kill('SIGKILL')
    await exited
    child = undefined
    // nobody cleaned up: the containers run on, holding their ports
    expect(await labelled(docker, application)).toEqual({ containers: 2, networks: 1 })

    const said: string[] = []
    next = new Orchestrator(application, { containerRunner: async () => recordingRunner(said) })
    await next.start()
    expect(said[0]).toBe(`removed 2 containers left by an earlier run of ${application.source}`)
    expect(said[1]).toMatch(/^removed network micronetes-killed-[0-9a-f]{8} left by an earlier run of /)
    await waitFor(async () => (next!.services().every((s) => s.replicaStatuses[0]?.state === 'ready') ? true : undefined), 'the next run to be ready')

    // and tells it where the user reads the replicas' lines
    const logged = next.services().flatMap((s) => next!.logs({ service: s.name })).filter((line) => line.stream === 'system')
    expect(logged.map((line) => line.text)).toContain(said[0])

    const secondRun = await docker.listContainers({ filters: { label: [`${LABEL.app}=${application.source}`] } })
    expect(secondRun).toHaveLength(2)
    expect(secondRun.map((c) => c.Id).filter((id) => firstRun.some((old) => old.Id === id))).toEqual([])
    // and the binding answers from the new run's container
    const name = next.service('web').replicaStatuses[0]!.name
    expect(await waitFor(async () => (await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim() || undefined, 'an answer')).toBe(name)
  })
})
