// The orphan watchdog removes the containers registered with it once its pipe closes, through
// the engine's unix socket, and leaves alone one that was forgotten: the native watchdog and the
// Node one alike.
import type Docker from 'dockerode'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { engineAddress } from '../../../src-main/core/docker/engine-address'
import { OrphanGuard, watchdogEngine } from '../../../src-main/core/orphan-guard'
import { processAlive } from '../../../src-main/core/proc'
import { engine, ensureTestImage, TEST_IMAGE, waitFor } from './docker-fixture'

describe.each(['native', 'node'] as const)('the %s watchdog and containers', (program) => {
  let docker: Docker
  const made: string[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  }, 120_000)

  afterEach(async () => {
    for (const id of made.splice(0)) await docker.getContainer(id).remove({ force: true }).catch(() => undefined)
  })

  async function sleeper(): Promise<string> {
    const container = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '300'], HostConfig: { Init: true } })
    made.push(container.id)
    await container.start()
    return container.id
  }

  async function exists(id: string): Promise<boolean> {
    try {
      await docker.getContainer(id).inspect()
      return true
    } catch {
      return false
    }
  }

  it('removes the registered containers once its pipe closes, not a forgotten one', async () => {
    const address = watchdogEngine(engineAddress().text)
    expect(address).toMatch(/^unix:/)
    const [first, second, forgotten] = [await sleeper(), await sleeper(), await sleeper()]
    const guard = new OrphanGuard({ program })
    guard.watchContainer(first!, address!)
    guard.watchContainer(second!, address!)
    guard.watchContainer(forgotten!, address!)()
    const watchdog = guard.pid!
    expect(watchdog).toBeGreaterThan(0)
    guard.close()
    await waitFor(async () => (!(await exists(first!)) && !(await exists(second!)) ? true : undefined), 'both containers removed', 20_000)
    await waitFor(async () => (!processAlive(watchdog) ? true : undefined), 'the watchdog done', 10_000)
    expect((await docker.getContainer(forgotten!).inspect()).State.Running).toBe(true)
  }, 60_000)
})
