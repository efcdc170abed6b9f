// Brings a running application to a newly loaded one by touching only what changed: removed
// services stop (dependents first), added ones start, a replaced service gets new replicas
// that must be ready before the old ones stop (its proxy keeps serving throughout), a scale
// is a scale, and every other service keeps its replicas and proxies as they are.
import type { Application, Service } from '../../../src-shared/app-model'
import type { StateEvent } from '../../../src-shared/events'
import type { ReplicaState } from '../../../src-shared/status'
import { closeProxies, updateBackends } from '../binding-proxies'
import { checkPorts, type PortClaim } from '../ports'
import { newReplicaSuffix } from '../replica-names'
import { sortedReplicas, type ReplicaEntry, type ServiceEntry } from '../service-entry'
import { drainConnections } from './drain'
import { applicationDifference, describeDifference, isEmptyDifference, same, type ApplicationDifference, type ReplacedService } from './application-difference'

const MAX_DRAIN_MS = 5000

/** what of the orchestrator a reload works through */
export interface ReloadHost {
  application(): Application
  readonly entries: Map<string, ServiceEntry>
  closing(): boolean
  setApplication(app: Application): void
  newEntry(service: Service): ServiceEntry
  /** runs after what the service is doing (scale, restart, stop), then tells its status */
  queue(entry: ServiceEntry, action: () => Promise<void>): Promise<void>
  reconcile(entry: ServiceEntry): Promise<void>
  createReplica(entry: ServiceEntry, ordinal: number): Promise<ReplicaEntry>
  startProxies(entry: ServiceEntry): Promise<void>
  /** a service with dependsOn: built and started once what it depends on allows */
  startWhenDependenciesAllow(entry: ServiceEntry): void
  /** runs the service's build, if it has one: false when it failed */
  build(entry: ServiceEntry): Promise<boolean>
  emit(event: StateEvent): void
  subscribe(listener: (event: StateEvent) => void): () => void
  /** how long new replicas may take to become ready before the old ones are kept instead */
  readyTimeoutMs(): number
  /** a free port for a new binding, from the runtime's book (port-book.ts) */
  freePort(avoid: ReadonlySet<number>): Promise<number>
}

export interface AppliedDifference {
  difference: ApplicationDifference
  /** "web replaced (args), cache added", or "nothing to apply" */
  summary: string
  /** what could not be applied; the rest was */
  failures: string[]
}

export async function applyDifference(host: ReloadHost, next: Application): Promise<AppliedDifference> {
  // compared with what runs: a service scaled by hand since is brought back to the file's count
  const current = host.application()
  const running = { ...current, services: current.services.map((s) => ({ ...s, replicas: host.entries.get(s.name)?.desired ?? s.replicas })) }
  const difference = applicationDifference(running, next)
  const summary = describeDifference(difference)
  if (isEmptyDifference(difference)) {
    host.setApplication(next)
    return { difference, summary, failures: [] }
  }
  // a port the new file wants and nothing of ours holds: checked before anything is touched
  await checkPorts(newPortClaims(host, next, difference))
  const nextByName = new Map(next.services.map((s) => [s.name, s]))
  const before = new Map(host.application().services.map((s) => [s.name, s]))
  // discovery variables of new replicas come from the new application
  host.setApplication(next)

  for (const name of difference.removed) {
    const entry = host.entries.get(name)
    if (entry) await removeService(host, entry)
  }
  // first what changes the ports the others are told about, so the services replaced for
  // their discovery variables are given the new ones
  const rebinds = (name: string) => !same(before.get(name)?.bindings, nextByName.get(name)?.bindings)
  const first: Promise<void>[] = []
  for (const name of difference.added) first.push(addService(host, nextByName.get(name)!))
  for (const change of difference.replaced.filter((c) => rebinds(c.service))) first.push(replaceService(host, host.entries.get(change.service)!, nextByName.get(change.service)!, change))
  const failures = settled(await Promise.allSettled(first))
  const changes: Promise<void>[] = []
  for (const change of difference.replaced.filter((c) => !rebinds(c.service))) {
    const entry = host.entries.get(change.service)
    if (entry) changes.push(replaceService(host, entry, nextByName.get(change.service)!, change))
  }
  for (const { service, to } of difference.scaled) {
    const entry = host.entries.get(service)
    if (!entry) continue
    changes.push(
      host.queue(entry, async () => {
        entry.service = nextByName.get(service)!
        entry.desired = to
        await host.reconcile(entry)
      }),
    )
  }
  for (const name of [...difference.rewatched, ...difference.unchanged]) {
    const entry = host.entries.get(name)
    if (entry) entry.service = nextByName.get(name)!
  }
  failures.push(...settled(await Promise.allSettled(changes)))
  // what runs now: a service whose new replicas were refused keeps its old definition
  host.setApplication({ ...next, services: next.services.map((s) => host.entries.get(s.name)?.service ?? s) })
  return { difference, summary, failures }
}

function settled(results: PromiseSettledResult<void>[]): string[] {
  return results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []))
}

async function removeService(host: ReloadHost, entry: ServiceEntry): Promise<void> {
  await host.queue(entry, async () => {
    entry.stopped = true
    const replicas = sortedReplicas(entry)
    entry.replicas.clear()
    await Promise.all(replicas.map((r) => r.supervisor.stop()))
    await closeProxies([entry])
  })
  host.entries.delete(entry.service.name)
  host.emit({ type: 'service-removed', service: entry.service.name })
}

async function addService(host: ReloadHost, service: Service): Promise<void> {
  if (host.closing()) return
  const entry = host.newEntry(service)
  // listed, not started, as at start-up
  if (!service.autoStart && service.kind !== 'external') {
    entry.stopped = true
    entry.notStarted = 'autoStart is false'
  }
  await publish(host, entry)
  host.entries.set(service.name, entry)
  await host.queue(entry, async () => {
    await host.startProxies(entry)
    if (entry.stopped || service.dependsOn.length > 0) return
    if (await host.build(entry)) await host.reconcile(entry)
  })
  if (!entry.stopped && service.dependsOn.length > 0) host.startWhenDependenciesAllow(entry)
}

async function replaceService(host: ReloadHost, entry: ServiceEntry, next: Service, change: ReplacedService): Promise<void> {
  await host.queue(entry, async () => {
    if (change.reasons.includes('build')) {
      // the new build command, run while the old replicas still serve
      const running = entry.service
      entry.service = next
      const built = await host.build(entry)
      entry.service = running
      if (!built) throw new Error(`${next.name}: build failed; the old replicas keep running`)
    }
    await replaceReplicas(host, entry, next, change.to)
  })
}

/**
 * New replicas under a new name suffix, started beside the old ones; once every one is ready
 * the old ones leave the proxy and stop. If one crashes or the wait runs out, the new ones go
 * and the old ones stay, definition and all. A service whose bindings changed cannot keep its
 * proxy, so its old replicas stop first. Runs in the service's turn of its action queue.
 */
export async function replaceReplicas(host: ReloadHost, entry: ServiceEntry, next: Service, to: number): Promise<void> {
  if (host.closing()) return
  const old = { service: entry.service, suffix: entry.suffix, desired: entry.desired }
  const oldReplicas = sortedReplicas(entry)
  const rebind = !same(old.service.bindings, next.bindings)
  entry.service = next
  entry.desired = to
  if (rebind) {
    await retire(host, entry, oldReplicas)
    await closeProxies([entry])
    await publish(host, entry, old.service)
    await host.startProxies(entry)
    entry.suffix = newReplicaSuffix()
    await host.reconcile(entry)
    return
  }
  if (entry.stopped || to === 0) {
    await retire(host, entry, oldReplicas)
    entry.suffix = newReplicaSuffix()
    await host.reconcile(entry)
    return
  }
  entry.suffix = newReplicaSuffix()
  const fresh: ReplicaEntry[] = []
  for (let ordinal = 1; ordinal <= to; ordinal++) {
    const replica = await host.createReplica(entry, ordinal)
    entry.replicas.set(replica.supervisor.name, replica)
    host.emit({ type: 'replica', replica: replica.supervisor.status() })
    fresh.push(replica)
  }
  const ready = waitUntilReady(host, fresh)
  for (const r of fresh) r.supervisor.start()
  const outcome = await ready
  if (outcome === 'ready' && !host.closing()) {
    await retire(host, entry, oldReplicas)
    return
  }
  await retire(host, entry, fresh)
  Object.assign(entry, old)
  if (outcome !== 'ready') throw new Error(`${next.name}: the new replicas did not become ready (${outcome}); the old ones keep running`)
}

/** out of the proxy first, its open connections let finish, then stopped */
async function retire(host: ReloadHost, entry: ServiceEntry, replicas: ReplicaEntry[]): Promise<void> {
  for (const r of replicas) entry.replicas.delete(r.supervisor.name)
  updateBackends(entry)
  await drainConnections(entry, replicas.map((r) => r.supervisor.name), Math.min(entry.service.stopGracePeriodMs, MAX_DRAIN_MS))
  await Promise.all(replicas.map((r) => r.supervisor.stop()))
  for (const r of replicas) host.emit({ type: 'replica-removed', service: entry.service.name, replica: r.supervisor.name })
}

// not 'stopped': a replica is 'stopped' until its start gets going
const GAVE_UP: ReadonlySet<ReplicaState> = new Set(['crashed', 'backoff', 'failed'])

/** 'ready', or why not: "web_ab12cd34-1 crashed: exited with code 1", "timed out after 60 s" */
function waitUntilReady(host: ReloadHost, replicas: ReplicaEntry[]): Promise<string> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const failed = replicas.find((r) => GAVE_UP.has(r.supervisor.currentState))
      if (failed) {
        const status = failed.supervisor.status()
        finish(`${status.name} ${status.state === 'backoff' ? 'crashed' : status.state}${status.message ? `: ${status.message}` : ''}`)
        return true
      }
      if (replicas.every((r) => r.supervisor.currentState === 'ready')) {
        finish('ready')
        return true
      }
      if (host.closing()) {
        finish('the application is stopping')
        return true
      }
      return false
    }
    const names = new Set(replicas.map((r) => r.supervisor.name))
    const unsubscribe = host.subscribe((event) => {
      if (event.type === 'replica' && names.has(event.replica.name)) check()
      else if (event.type === 'application') check()
    })
    const timer = setTimeout(() => finish(`not ready after ${Math.round(host.readyTimeoutMs() / 1000)} s`), host.readyTimeoutMs())
    function finish(outcome: string): void {
      clearTimeout(timer)
      unsubscribe()
      resolve(outcome)
    }
    queueMicrotask(check)
  })
}

/**
 * Public ports for the entry's bindings: as written, else the one the same binding had
 * before, else a free one.
 */
async function publish(host: ReloadHost, entry: ServiceEntry, before?: Service): Promise<void> {
  const written = new Set(host.application().services.flatMap((s) => s.bindings.map((b) => b.port).filter((p): p is number => p !== undefined)))
  const previous = entry.bindings
  entry.bindings = []
  for (const [i, binding] of entry.service.bindings.entries()) {
    const kept = before?.bindings[i]?.port === undefined && binding.port === undefined && previous[i]?.name === binding.name ? previous[i]?.port : undefined
    const port = binding.port ?? kept ?? (entry.service.kind === 'external' ? 0 : await host.freePort(written))
    entry.bindings.push({ ...binding, port })
  }
}

/**
 * The binding ports of added services and changed bindings that no proxy of ours holds yet
 * (one that a removed or rebound service holds is let go before it is taken again).
 */
function newPortClaims(host: ReloadHost, next: Application, difference: ApplicationDifference): PortClaim[] {
  const ours = new Set([...host.entries.values()].flatMap((e) => (e.service.kind === 'external' ? [] : e.bindings.map((b) => b.port))))
  const touched = new Set([...difference.added, ...difference.replaced.map((r) => r.service)])
  const claims: PortClaim[] = []
  for (const service of next.services) {
    if (!touched.has(service.name) || service.kind === 'external') continue
    for (const b of service.bindings) {
      if (b.port === undefined || ours.has(b.port)) continue
      claims.push({ port: b.port, service: service.name, ...(b.name !== undefined ? { binding: b.name } : {}) })
    }
  }
  return claims
}
