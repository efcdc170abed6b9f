// A container outlives a killed orchestrator unless the watchdog knows to remove it. The
// engine address is resolved the way the Docker runner resolves it (DOCKER_HOST, else the
// local socket), loaded on demand so a run without containers never loads dockerode.
import { watchdogEngine, type OrphanGuard } from './orphan-guard'
import type { ReplicaHandle } from './runner'

/** registers a launched container with the watchdog; the result forgets it again */
export function guardContainer(guard: OrphanGuard, handle: ReplicaHandle): (() => void) | undefined {
  const id = handle.containerId
  if (!id) return undefined
  let release: (() => void) | undefined
  let released = false
  void import('./docker/engine-address')
    .then(({ engineAddress }) => {
      const engine = watchdogEngine(engineAddress().text)
      if (engine && !released) release = guard.watchContainer(id, engine)
    })
    .catch(() => undefined)
  return () => {
    released = true
    release?.()
  }
}
