// Whether a service's dependencies meet their conditions, and how to say what it waits for:
// "db (ready)", and why when the dependency is in trouble ("db: db_3f9a1c2b-1: exited with code 1").
import type { Dependency } from '../../src-shared/app-model'
import type { ReplicaEntry, ServiceEntry } from './service-entry'

export interface Unmet {
  dependency: Dependency
  /** what is wrong with the dependency, when something is */
  reason?: string
}

export function unmetDependencies(entry: ServiceEntry, entries: ReadonlyMap<string, ServiceEntry>): Unmet[] {
  const unmet: Unmet[] = []
  for (const dependency of entry.service.dependsOn) {
    const target = entries.get(dependency.service)
    if (!target || conditionMet(dependency, target)) continue
    const reason = troubleOf(target)
    unmet.push(reason ? { dependency, reason } : { dependency })
  }
  return unmet
}

function conditionMet(dependency: Dependency, target: ServiceEntry): boolean {
  // an external service runs elsewhere: it is taken as there
  if (target.service.kind === 'external') return true
  const replicas = [...target.replicas.values()].map((r) => r.supervisor)
  if (target.stopped || target.waiting) return false
  if (target.desired === 0) return dependency.condition !== 'completed'
  switch (dependency.condition) {
    case 'started':
      return replicas.some((r) => r.currentState === 'running' || r.currentState === 'ready' || r.completed)
    case 'ready':
      // one ready replica is enough for the proxy to hand over a connection
      return replicas.some((r) => r.currentState === 'ready')
    case 'completed':
      return replicas.length >= target.desired && replicas.every((r) => r.completed)
  }
}

function troubleOf(target: ServiceEntry): string | undefined {
  if (target.notStarted) return `${target.service.name} is not started (${target.notStarted})`
  if (target.stopped) return `${target.service.name} is stopped`
  if (target.waiting) return `${target.service.name} is waiting too`
  // only "completed" can be unmet by a service scaled to 0: none of its replicas will ever run
  if (target.desired === 0) return `${target.service.name} is scaled to 0 replicas, so it never completes; scale it up`
  const troubled = [...target.replicas.values()].find((r: ReplicaEntry) => {
    const state = r.supervisor.currentState
    return state === 'crashed' || state === 'backoff' || state === 'failed'
  })
  if (!troubled) return undefined
  const status = troubled.supervisor.status()
  return `${status.name} ${status.state}${status.message ? `: ${status.message}` : ''}`
}

/** "db (ready)" */
export function describeDependency(dependency: Dependency): string {
  return `${dependency.service} (${dependency.condition})`
}

/** "waiting for db (ready), cache (started); db_3f9a1c2b-1 crashed: exited with code 1" */
export function waitingMessage(unmet: readonly Unmet[]): string {
  const reasons = unmet.flatMap((u) => (u.reason ? [u.reason] : []))
  return `waiting for ${unmet.map((u) => describeDependency(u.dependency)).join(', ')}${reasons.length > 0 ? `; ${reasons.join('; ')}` : ''}`
}
