// A `micronetes run` killed outright leaves no container running: the watchdog removes them.
import type Docker from 'dockerode'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { engine, ensureTestImage, TEST_IMAGE } from './docker/docker-fixture'
import { waitFor } from './orchestrator-helpers'

const cli = join(import.meta.dirname, '..', '..', 'bin', 'micronetes.cjs')

describe('a killed micronetes run', () => {
  let docker: Docker
  let child: ChildProcess | undefined
  let folder: string | undefined
  const containers: string[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    for (const id of containers.splice(0)) await docker.getContainer(id).remove({ force: true }).catch(() => undefined)
    if (folder) rmSync(folder, { recursive: true, force: true })
  })

  async function exists(id: string): Promise<boolean> {
    try {
      await docker.getContainer(id).inspect()
      return true
    } catch {
      return false
    }
  }

  it('leaves no container behind a few seconds later', async () => {
    folder = mkdtempSync(join(tmpdir(), 'micronetes-orphans-'))
    writeFileSync(join(folder, 'app.yaml'), `name: orphan-containers\nservices:\n  - name: sleeper\n    image: ${TEST_IMAGE}\n    args: [sleep, '300']\n    replicas: 2\n`)
    child = spawn(process.execPath, [cli, 'run', join(folder, 'app.yaml'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    await waitFor('two running containers', () => (out.match(/running in container [0-9a-f]{12}/g) ?? []).length === 2, 60_000)
    const short = [...out.matchAll(/running in container ([0-9a-f]{12})/g)].map((m) => m[1]!)
    for (const id of short) {
      const info = await docker.getContainer(id).inspect()
      containers.push(info.Id)
      expect(info.State.Running).toBe(true)
    }
    child.kill('SIGKILL')
    await waitFor('every container removed', async () => {
      for (const id of containers) if (await exists(id)) return false
      return true
    }, 10_000)
  }, 90_000)
})
