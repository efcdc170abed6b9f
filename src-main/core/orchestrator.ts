// The running application: binding ports checked and proxied, one supervisor per replica,
// scale / restart / stop / start per service, logs and one event stream. Hosts (the CLI, the
// HTTP API, the desktop app) reach it through the ControlPlane interface only.
import { randomUUID } from 'node:crypto'
import { listeningBindings, type Application, type Service } from '../../src-shared/app-model'
import { MAX_REPLICAS } from '../../src-shared/contract'
import type { ControlPlane, LogQuery, ReplicaMetrics } from '../../src-shared/control-plane'
import type { ResourcesView } from '../../src-shared/resources'
import { ControlError } from '../../src-shared/errors'
import type { StateEvent } from '../../src-shared/events'
import type { ApplicationInfo, LogLine, ReplicaDetails, ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import type { BackoffOptions } from './backoff'
import { hostPortsFor, replicaEnvironment, type PublishedBinding } from './discovery-env'
import type { LineBatch } from './line-splitter'
import { DEFAULT_LOG_CAPACITY, DEFAULT_LOG_CHARS, LogBuffer, mergeLogs } from './log-buffer'
import type { LogRun } from './logs/log-run'
import { closeProxies, proxiedClaims, publishBindings, startProxies, updateBackends } from './binding-proxies'
import { checkPorts } from './ports'
import { createProcessRunner } from './process-runner'
import { createRuntime, type Runtime } from './runtime'
import type { BindingProxy, ProxyOptions } from './proxy-types'
import { createAppSampler, type SamplingOptions } from './resources/app-sampler'
import type { ResourceSampler } from './resources/sampler'
import type { Watchers } from './resources/watchers'
import { freeOrdinals, newReplicaSuffix, replicaName } from './replica-names'
import { ReplicaSupervisor } from './replica-supervisor'
import { guardContainer } from './container-guard'
import { unmetDependencies, waitingMessage, describeDependency } from './dependency-gate'
import { notStartedReasons, stopWaves } from './start-order'
import { IngressEntry } from './ingress/ingress-entry'
import type { ReplicaHandle, ReplicaRunner } from './runner'
import { serviceStatus, sortedReplicas, type ReplicaEntry, type ServiceEntry } from './service-entry'
import { applyDifference, replaceReplicas, type AppliedDifference, type ReloadHost } from './reload/apply-difference'
import { buildService } from './reload/service-build'
import { TurnClock } from './turn-clock'

export interface OrchestratorOptions {
  /** the host's guard, output channels, proxy engines and port book (runtime.ts); by default ones of this orchestrator's own */
  runtime?: Runtime
  /** runs project and executable services; default: process groups on this machine */
  processRunner?: ReplicaRunner
  /** runs container services; default: the Docker runner, loaded only when needed */
  containerRunner?: () => Promise<ReplicaRunner>
  startProxy?: (options: ProxyOptions) => Promise<BindingProxy>
  backoff?: BackoffOptions
  /** lines kept per replica */
  logCapacity?: number
  /** characters of text kept per replica, whatever the number of lines */
  logChars?: number
  /** what processes inherit; default process.env */
  parentEnv?: NodeJS.ProcessEnv
  /** how long a proxied connection waits for a ready replica */
  proxyWaitMs?: number
  /** longest pause between two readiness probes of a starting replica */
  readinessIntervalMs?: number
  /** how long a reload waits for a replaced service's new replicas to be ready (default 60 s) */
  reloadReadyTimeoutMs?: number
  /** who is looking: the sampler reads faster while someone does */
  watchers?: Watchers
  sampling?: SamplingOptions
  /** run only these services and what they depend on; the others are listed, not started */
  services?: string[]
}

type Phase = 'new' | 'starting' | 'running' | 'stopping' | 'stopped'

/** how long stop() waits beyond the longest grace period before giving up on stragglers */
const STOP_SLACK_MS = 10_000
const DROPPED_REPORT_INTERVAL_MS = 1000
/** a metrics request keeps the fast sampling pace this long (a Prometheus scrape interval) */
const METRICS_INTEREST_MS = 30_000

export class Orchestrator implements ControlPlane {
  private readonly id = randomUUID()
  private readonly services_ = new Map<string, ServiceEntry>()
  /** Tye's ingresses, shown beside the services */
  private readonly ingresses: IngressEntry[]
  /** replaced, never changed in place: a delivery runs once per read of a replica's output and must not copy it */
  private listeners: readonly { event: (event: StateEvent) => void; run: ((run: LogRun) => void) | undefined }[] = []
  private readonly processRunner: ReplicaRunner
  private readonly containerRunnerFactory: () => Promise<ReplicaRunner>
  private containerRunner: Promise<ReplicaRunner> | undefined
  private phase: Phase = 'new'
  private readonly sampler: ResourceSampler
  private readonly runtime: Runtime
  private readonly startProxy: (options: ProxyOptions) => Promise<BindingProxy>
  /** the time of replicas' output lines */
  private readonly clock = new TurnClock()

  constructor(
    /** replaced by a reload: always what runs */
    public app: Application,
    private readonly options: OrchestratorOptions = {},
  ) {
    const runtime = options.runtime ?? createRuntime()
    this.runtime = runtime
    this.startProxy = options.startProxy ?? ((proxy) => runtime.proxies.start(proxy))
    this.processRunner = options.processRunner ?? createProcessRunner({ guard: runtime.guard, channels: runtime.outputChannels, spawner: runtime.spawner })
    this.containerRunnerFactory =
      options.containerRunner ??
      (async () => {
        // loaded on demand: a machine without Docker never loads dockerode
        const { createDockerRunner } = await import('./docker/docker-runner')
        return createDockerRunner()
      })
    this.sampler = createAppSampler(() => this.services_.values(), options.watchers, options.sampling ?? {}, (sample) => this.emit({ type: 'resources', sample }))
    for (const service of app.services) this.services_.set(service.name, newEntry(service))
    this.ingresses = (app.ingress ?? []).map((ingress) => new IngressEntry(ingress, newReplicaSuffix()))
    // throws (not-found) before anything starts when a service asked for does not exist
    for (const [name, reason] of notStartedReasons(app, options.services)) {
      const entry = this.services_.get(name)!
      entry.stopped = true
      entry.notStarted = reason
    }
  }

  get state(): Phase {
    return this.phase
  }

  // ---- lifecycle

  /**
   * Checks every binding port, removes leftovers of earlier runs, starts the proxies, then
   * the replicas. Throws (and starts nothing) when a port is taken.
   */
  async start(): Promise<void> {
    if (this.phase !== 'new') throw new ControlError('conflict', `${this.app.name} was already started`)
    this.phase = 'starting'
    this.emit({ type: 'application', state: 'starting' })
    // first in every service's queue, so a scale asked for during start-up waits for it
    let proxiesUp: (up: boolean) => void = () => {}
    const barrier = new Promise<boolean>((resolve) => (proxiesUp = resolve))
    for (const entry of this.services_.values()) entry.waiting = !entry.stopped && entry.service.dependsOn.length > 0
    const startups = [...this.services_.values()]
      .filter((entry) => entry.service.kind !== 'external' && !entry.stopped && !entry.waiting)
      .map((entry) =>
        this.serialized(entry, async () => {
          if ((await barrier) && (await this.build(entry))) await this.reconcile(entry)
        }),
      )
    try {
      await publishBindings(this.services_.values(), this.runtime.ports)
      const written = new Set([...this.services_.values()].flatMap((e) => e.bindings.map((b) => b.port)))
      for (const ingress of this.ingresses) await ingress.publish(written, this.runtime.ports)
      await checkPorts([...proxiedClaims(this.services_.values()), ...this.ingresses.flatMap((i) => i.claims())])
      if (this.app.services.some((s) => s.kind === 'container')) {
        const runner = await this.getContainerRunner().catch(() => undefined)
        await runner?.reapLeftovers?.(this.app).catch(() => [])
      }
      await startProxies(this.services_.values(), this.startProxy, this.options.proxyWaitMs)
      for (const ingress of this.ingresses) await ingress.start(this.ingressTarget, (run) => this.tellRun(run))
      if (this.closing) throw new ControlError('unavailable', `${this.app.name} was stopped while it started`)
    } catch (err) {
      proxiesUp(false)
      await Promise.all(this.ingresses.map((i) => i.stop()))
      await closeProxies(this.services_.values())
      if (!this.closing) {
        this.phase = 'stopped'
        this.emit({ type: 'application', state: 'stopped' })
      }
      throw err
    }
    proxiesUp(true)
    this.gatesOpen = true
    this.openGates()
    const results = await Promise.allSettled(startups)
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failure) {
      // no free internal port, say: take down what already started rather than half-run
      await this.stop()
      throw failure.reason
    }
    if (this.closing) throw new ControlError('unavailable', `${this.app.name} was stopped while it started`)
    for (const entry of this.services_.values()) this.emitService(entry)
    if (this.options.sampling?.enabled !== false) this.sampler.start()
    for (const ingress of this.ingresses) this.emit({ type: 'service', service: ingress.status() })
    this.phase = 'running'
    this.emit({ type: 'application', state: 'running' })
  }

  /** stops every replica in parallel (bounded), then the proxies; safe to call twice */
  async stop(): Promise<void> {
    if (this.phase === 'stopped' || this.phase === 'stopping') return this.stopped
    const wasStarted = this.phase !== 'new'
    this.phase = 'stopping'
    this.emit({ type: 'application', state: 'stopping' })
    this.sampler.stop()
    this.stopped = (async () => {
      if (wasStarted) {
        const longestGrace = Math.max(0, ...this.app.services.map((s) => s.stopGracePeriodMs))
        for (const entry of this.services_.values()) entry.stopped = true
        // dependents first, so none of them sees what it depends on vanish under it
        const waves = stopWaves(this.app.services)
        const inOrder = (async () => {
          for (const wave of waves) {
            await Promise.all(wave.map((name) => Promise.all([...this.entry(name).replicas.values()].map((r) => r.supervisor.retire()))))
          }
        })()
        await Promise.race([inOrder, delay(longestGrace * waves.length + STOP_SLACK_MS)])
        await Promise.all(this.ingresses.map((i) => i.stop()))
        await closeProxies(this.services_.values())
        const runners: ReplicaRunner[] = [this.processRunner]
        if (this.containerRunner) runners.push(await this.containerRunner.catch(() => this.processRunner))
        await Promise.all([...new Set(runners)].map((r) => r.dispose?.().catch(() => undefined)))
      }
      this.phase = 'stopped'
      this.emit({ type: 'application', state: 'stopped' })
    })()
    return this.stopped
  }

  private stopped: Promise<void> = Promise.resolve()

  /** no grace for anyone: every replica is killed now; stop() still cleans up after */
  kill(): void {
    for (const entry of this.services_.values()) {
      entry.stopped = true
      for (const r of entry.replicas.values()) r.supervisor.kill()
    }
  }

  // ---- ControlPlane: queries

  application(): ApplicationInfo {
    return { id: this.id, name: this.app.name, source: this.app.source }
  }

  services(): ServiceStatus[] {
    return [...[...this.services_.values()].map((entry) => serviceStatus(entry)), ...this.ingresses.map((i) => i.status())]
  }

  service(name: string): ServiceStatus {
    const ingress = this.ingresses.find((i) => i.name === name)
    return ingress ? ingress.status() : serviceStatus(this.entry(name))
  }

  replica(name: string): ReplicaDetails {
    const found = this.findReplica(name)
    if (!found) throw new ControlError('not-found', `no replica named ${name}`)
    const { supervisor } = found[1]
    return { ...supervisor.status(), environment: supervisor.environment }
  }

  logs(query: LogQuery): LogLine[] {
    const ingress = this.ingresses.find((i) => i.name === query.service)
    if (ingress) return ingress.logs.lines(query.tail)
    const entry = this.entry(query.service)
    if (query.replica !== undefined) {
      const replica = entry.replicas.get(query.replica)
      if (!replica) throw new ControlError('not-found', `service ${query.service} has no replica ${query.replica}`)
      return replica.logs.lines(query.tail)
    }
    return mergeLogs([...(entry.buildLogs ? [entry.buildLogs] : []), ...sortedReplicas(entry).map((r) => r.logs)], query.tail)
  }

  async metrics(service?: string): Promise<ReplicaMetrics[]> {
    if (service !== undefined) this.entry(service)
    this.options.watchers?.touch(METRICS_INTEREST_MS)
    const latest = this.sampler.latest
    // a reading younger than half an interval answers, unless a replica started after it (it
    // cannot describe that one); an older one is taken again now
    let newestStart = 0
    for (const entry of this.services_.values()) {
      for (const { supervisor } of entry.replicas.values()) newestStart = Math.max(newestStart, supervisor.startTime ?? 0)
    }
    const fresh = latest !== undefined && Date.now() - latest.time < this.sampler.intervalMs / 2 && latest.time >= newestStart
    const sample = fresh ? latest : await this.sampler.sample()
    return sample.replicas.filter((r) => service === undefined || r.service === service)
  }

  resources(service?: string): ResourcesView {
    if (service !== undefined) this.entry(service)
    this.options.watchers?.touch(METRICS_INTEREST_MS)
    return this.sampler.view(service)
  }

  /** replicas' output comes only to onLogRun, a run for each read of a replica's output (its own messages as one-line runs) */
  subscribe(listener: (event: StateEvent) => void, options: { onLogRun?: (run: LogRun) => void } = {}): () => void {
    if (!this.listeners.some((l) => l.event === listener)) this.listeners = [...this.listeners, { event: listener, run: options.onLogRun }]
    return () => {
      this.listeners = this.listeners.filter((l) => l.event !== listener)
    }
  }

  // ---- ControlPlane: actions

  scale(service: string, replicas: number): Promise<ServiceStatus> {
    const entry = this.entry(service)
    if (entry.service.kind === 'external') throw new ControlError('conflict', `service ${service} is external: Micronetes does not run it`)
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
      throw new ControlError('invalid', `replicas must be a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`)
    }
    if (entry.service.daprSidecar) {
      throw new ControlError('conflict', `service ${service} is the Dapr sidecar of ${entry.service.daprSidecar.app}: it has as many replicas as its app; scale ${entry.service.daprSidecar.app}`)
    }
    // an app's Dapr sidecars follow it, one per replica, as the file made them
    const sidecars = [...this.services_.values()].filter((e) => e.service.daprSidecar?.app === entry.service.name)
    const scaled = (target: ServiceEntry): Promise<ServiceStatus> =>
      this.enqueue(target, async () => {
        target.desired = replicas
        await this.reconcile(target)
      })
    if (sidecars.length === 0) return scaled(entry)
    return Promise.all([scaled(entry), ...sidecars.map(scaled)]).then(([status]) => status)
  }

  restartService(service: string): Promise<ServiceStatus> {
    const entry = this.runnable(service)
    return this.enqueue(entry, async () => {
      if (this.closing) return
      entry.stopped = false
      entry.notStarted = undefined
      // before reconcile, which would start a stopped replica only for it to be restarted at
      // once; a replica that was not running is started by restart() without counting
      await Promise.all(sortedReplicas(entry).map((r) => r.supervisor.restart()))
      await this.reconcile(entry)
    })
  }

  async restartReplica(replica: string): Promise<ReplicaStatus> {
    const found = this.findReplica(replica)
    if (!found) throw new ControlError('not-found', `no replica named ${replica}`)
    const [entry] = found
    let restarted: ReplicaEntry | undefined
    await this.enqueue(entry, async () => {
      // judged at its turn, after what was queued before it (a scale, a stop, a start)
      restarted = this.refuseReplicaRestart(entry, replica)
      await restarted.supervisor.restart()
    })
    return restarted!.supervisor.status()
  }

  stopService(service: string): Promise<ServiceStatus> {
    const entry = this.runnable(service)
    return this.enqueue(entry, async () => {
      entry.stopped = true
      entry.waiting = false
      await Promise.all(sortedReplicas(entry).map((r) => r.supervisor.stop()))
    })
  }

  /** a service never started (autoStart: false, left out of a subset) brings what it depends on */
  startService(service: string): Promise<ServiceStatus> {
    const entry = this.runnable(service)
    for (const d of entry.service.dependsOn) {
      const dependency = this.services_.get(d.service)
      if (dependency?.notStarted !== undefined) void this.startService(d.service).catch(() => undefined)
    }
    return this.enqueue(entry, async () => {
      entry.stopped = false
      entry.notStarted = undefined
      entry.waiting = entry.service.dependsOn.length > 0
      if (entry.waiting) this.openGates()
      else await this.reconcile(entry)
    })
  }

  /**
   * Brings the running application to next, touching only what differs (see
   * reload/apply-difference.ts). Reloads run one at a time; each service's part waits its turn
   * behind the scale, restart or stop already asked of that service.
   */
  reload(next: Application): Promise<AppliedDifference> {
    if (this.phase !== 'running') return Promise.reject(new ControlError('unavailable', `${this.app.name} is not running`))
    const run = this.reloading.then(() => applyDifference(this.reloadHost, next))
    this.reloading = run.catch(() => undefined)
    return run
  }

  private reloading: Promise<unknown> = Promise.resolve()

  /**
   * New replicas for the service, ready before the old ones stop; with build, its build runs
   * first, and a failed build leaves the running replicas as they are.
   */
  refresh(service: string, options: { build: boolean }): Promise<ServiceStatus> {
    const entry = this.runnable(service)
    return this.enqueue(entry, async () => {
      if (options.build && !(await this.build(entry))) return
      await replaceReplicas(this.reloadHost, entry, entry.service, entry.desired)
    })
  }

  /** the service's watch acts again (undefined), or is paused with this reason */
  setWatchPaused(service: string, reason: string | undefined): void {
    const entry = this.services_.get(service)
    if (!entry || entry.watchPaused === reason) return
    if (reason === undefined) delete entry.watchPaused
    else entry.watchPaused = reason
    this.emitService(entry)
  }

  private build(entry: ServiceEntry): Promise<boolean> {
    return buildService(this.app, entry, (run) => this.tellRun(run), () => this.emitServiceSoon(entry), this.options.parentEnv)
  }

  private readonly reloadHost: ReloadHost = {
    application: () => this.app,
    entries: this.services_,
    closing: () => this.closing,
    setApplication: (app) => {
      this.app = app
    },
    newEntry,
    queue: async (entry, action) => {
      await this.enqueue(entry, action)
    },
    reconcile: (entry) => this.reconcile(entry),
    createReplica: (entry, ordinal) => this.createReplica(entry, ordinal),
    startProxies: (entry) => startProxies([entry], this.startProxy, this.options.proxyWaitMs),
    build: (entry) => this.build(entry),
    startWhenDependenciesAllow: (entry) => {
      entry.waiting = true
      this.openGates()
    },
    emit: (event) => this.emit(event),
    subscribe: (listener) => this.subscribe(listener),
    readyTimeoutMs: () => this.options.reloadReadyTimeoutMs ?? 60_000,
    freePort: (avoid) => this.runtime.ports.freePort(avoid),
  }

  // ---- internals

  /** false until the proxies are up: no service may start before */
  private gatesOpen = false

  /**
   * Starts each waiting service whose dependencies now meet their conditions, and keeps the
   * others' "waiting for" current. Runs after every replica change: it only reads states.
   */
  private openGates(): void {
    if (!this.gatesOpen || this.closing) return
    for (const entry of this.services_.values()) {
      if (!entry.waiting || entry.stopped) continue
      const unmet = unmetDependencies(entry, this.services_)
      if (unmet.length > 0) {
        const message = waitingMessage(unmet)
        if (message !== entry.waitMessage) {
          entry.waitMessage = message
          entry.waitingFor = unmet.map((u) => describeDependency(u.dependency))
          this.emitServiceSoon(entry)
        }
        continue
      }
      entry.waiting = false
      entry.waitMessage = undefined
      entry.waitingFor = undefined
      // a start that fails (no free port) shows in the service's replicas, as at start-up
      const told = (): void => this.emitService(entry)
      this.serialized(entry, async () => {
        if (await this.build(entry)) await this.reconcile(entry)
      }).then(told, told)
    }
  }

  /** read afresh after every await: stop() may have begun meanwhile */
  private get closing(): boolean {
    return this.phase === 'stopping' || this.phase === 'stopped'
  }

  private entry(name: string): ServiceEntry {
    const entry = this.services_.get(name)
    if (!entry && this.ingresses.some((i) => i.name === name)) throw new ControlError('conflict', `${name} is an ingress: it runs as long as the application and has no replicas to control`)
    if (!entry) throw new ControlError('not-found', `no service named ${name}`)
    return entry
  }

  private runnable(name: string): ServiceEntry {
    const entry = this.entry(name)
    if (entry.service.kind === 'external') throw new ControlError('conflict', `service ${name} is external: Micronetes does not run it`)
    return entry
  }

  /** the replica to restart, or a 409 when its service is stopped or it is being removed */
  private refuseReplicaRestart(entry: ServiceEntry, name: string): ReplicaEntry {
    if (this.closing) throw new ControlError('unavailable', `${this.app.name} is stopping`)
    if (entry.stopped) throw new ControlError('conflict', `service ${entry.service.name} is stopped; start it first`)
    const replica = entry.replicas.get(name)
    if (!replica || replica.removing) throw new ControlError('conflict', `replica ${name} was removed by a scale of ${entry.service.name}`)
    return replica
  }

  private findReplica(name: string): [ServiceEntry, ReplicaEntry] | undefined {
    for (const entry of this.services_.values()) {
      const replica = entry.replicas.get(name)
      if (replica) return [entry, replica]
    }
    return undefined
  }

  private enqueue(entry: ServiceEntry, action: () => Promise<void>): Promise<ServiceStatus> {
    if (this.phase === 'new') return Promise.reject(new ControlError('unavailable', `${this.app.name} has not been started`))
    if (this.phase === 'stopping' || this.phase === 'stopped') {
      return Promise.reject(new ControlError('unavailable', `${this.app.name} is stopping`))
    }
    return this.serialized(entry, action).then(() => {
      this.emitService(entry)
      return serviceStatus(entry)
    })
  }

  /** runs after whatever this service is already doing (a scale during start-up waits its turn) */
  private serialized(entry: ServiceEntry, action: () => Promise<void>): Promise<void> {
    const run = entry.queue.then(action)
    entry.queue = run.catch(() => undefined)
    return run
  }

  /**
   * Where an ingress sends a service's requests: its first http binding, else its first one that
   * listens; the binding's proxy on this machine, or an external service's own host.
   */
  private ingressTarget = (service: string): { host: string; port: number } | undefined => {
    const entry = this.services_.get(service)
    if (!entry) return undefined
    const listening = entry.bindings.filter((b) => !b.connectionStringOnly && b.port > 0)
    const binding = listening.find((b) => b.protocol === 'http') ?? listening[0]
    if (!binding) return undefined
    return { host: entry.service.kind === 'external' ? binding.host : '127.0.0.1', port: binding.port }
  }

  private publishedBindings = (service: string): PublishedBinding[] => {
    const entry = this.services_.get(service)
    if (!entry) return []
    return entry.bindings.map((b) => (b.port === 0 ? { ...b, port: undefined } : b))
  }

  private getContainerRunner(): Promise<ReplicaRunner> {
    this.containerRunner ??= this.containerRunnerFactory()
    // a failed load is retried by the next replica rather than remembered for the run
    this.containerRunner.catch(() => {
      this.containerRunner = undefined
    })
    return this.containerRunner
  }

  /** brings the replica set to the desired count, then runs them unless the service is stopped */
  private async reconcile(entry: ServiceEntry): Promise<void> {
    if (this.closing) return
    const replicas = sortedReplicas(entry)
    const surplus = replicas.slice(entry.desired).reverse()
    if (surplus.length > 0) {
      // listed (as stopping) until their process groups are gone, but out of the proxy at once
      for (const r of surplus) r.removing = true
      updateBackends(entry)
      await Promise.all(surplus.map((r) => r.supervisor.retire()))
      for (const r of surplus) {
        entry.replicas.delete(r.supervisor.name)
        this.emit({ type: 'replica-removed', service: entry.service.name, replica: r.supervisor.name })
      }
    }
    const missing = entry.desired - entry.replicas.size
    if (missing > 0) {
      const ordinals = freeOrdinals([...entry.replicas.values()].map((r) => r.supervisor.ordinal), missing)
      for (const ordinal of ordinals) {
        const replica = await this.createReplica(entry, ordinal)
        entry.replicas.set(replica.supervisor.name, replica)
        this.emit({ type: 'replica', replica: replica.supervisor.status() })
      }
    }
    if (!entry.stopped && !entry.waiting && !this.closing) {
      for (const r of entry.replicas.values()) r.supervisor.start()
    }
  }

  private async createReplica(entry: ServiceEntry, ordinal: number): Promise<ReplicaEntry> {
    const { service } = entry
    const name = replicaName(service.name, entry.suffix, ordinal)
    const ports: number[] = []
    const listening = listeningBindings(service)
    for (let i = 0; i < listening.length; i++) ports.push(await this.runtime.ports.freePort())
    const published = entry.bindings.filter((b) => !b.connectionStringOnly)
    const listenPorts = service.kind === 'container' ? published.map((b) => b.containerPort ?? b.port) : ports
    const envInput = { application: this.app, service, replicaName: name, listenPorts, bindingsOf: this.publishedBindings }
    const shownEnvironment = replicaEnvironment(envInput)
    const env = replicaEnvironment({ ...envInput, parentEnv: this.options.parentEnv ?? process.env })
    const logs = new LogBuffer(service.name, name, this.options.logCapacity ?? DEFAULT_LOG_CAPACITY, this.options.logChars ?? DEFAULT_LOG_CHARS)
    const replica: ReplicaEntry = { logs, droppedReported: 0, supervisor: undefined as unknown as ReplicaSupervisor }
    const runner = service.kind === 'container' ? () => this.getContainerRunner() : async () => this.processRunner
    replica.supervisor = new ReplicaSupervisor({
      application: this.app,
      service,
      name,
      ordinal,
      ports,
      env,
      ...(service.kind === 'container' ? { hostPorts: hostPortsFor(this.app, this.publishedBindings) } : {}),
      shownEnvironment,
      runner,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.readinessIntervalMs !== undefined ? { readinessIntervalMs: this.options.readinessIntervalMs } : {}),
      onStatus: (status) => {
        this.emit({ type: 'replica', replica: status })
        if (entry.replicas.get(name) === replica) {
          updateBackends(entry)
          this.emitServiceSoon(entry)
          this.openGates()
        }
      },
      onLines: (stream, batch) => this.addLines(replica, stream, batch),
      ...(service.kind === 'container' ? { onLaunched: (handle: ReplicaHandle) => guardContainer(this.runtime.guard, handle) } : {}),
    })
    return replica
  }

  private addLines(replica: ReplicaEntry, stream: LogLine['stream'], batch: LineBatch): void {
    this.tellRun(replica.logs.pushLines(stream, batch, this.clock.now()))
    if (replica.logs.dropped > replica.droppedReported) this.reportDropped(replica)
  }

  /** at most one logs-dropped event per replica per interval, and the last count always told */
  private reportDropped(replica: ReplicaEntry): void {
    if (replica.dropReport) return
    const report = (): void => {
      replica.dropReport = undefined
      const count = replica.logs.dropped
      if (count === replica.droppedReported) return
      replica.droppedReported = count
      this.emit({ type: 'logs-dropped', service: replica.logs.service, replica: replica.logs.replica, count })
      replica.dropReport = setTimeout(report, DROPPED_REPORT_INTERVAL_MS)
      replica.dropReport.unref()
    }
    report()
  }

  private readonly serviceEventsDue = new Set<ServiceEntry>()

  /** one service event for every replica change made in the same turn (crashed then backoff) */
  private emitServiceSoon(entry: ServiceEntry): void {
    if (this.serviceEventsDue.has(entry)) return
    this.serviceEventsDue.add(entry)
    queueMicrotask(() => {
      this.serviceEventsDue.delete(entry)
      this.emitService(entry)
    })
  }

  private emitService(entry: ServiceEntry): void {
    this.emit({ type: 'service', service: serviceStatus(entry) })
  }

  /** a run of log lines, to the listeners that take them */
  private tellRun(run: LogRun): void {
    this.tell((listener) => listener.run?.(run))
  }

  private emit(event: StateEvent): void {
    this.tell((listener) => listener.event(event))
  }

  private tell(call: (listener: Orchestrator['listeners'][number]) => void): void {
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) {
      try {
        call(listeners[i]!)
      } catch {
        // a failing listener must not stop the application or the other listeners
      }
    }
  }
}

function newEntry(service: Service): ServiceEntry {
  return {
    service,
    suffix: newReplicaSuffix(),
    desired: service.kind === 'external' ? 0 : service.replicas,
    stopped: false,
    bindings: [],
    proxies: [],
    replicas: new Map(),
    queue: Promise.resolve(),
    waiting: false,
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    timer.unref()
  })
}
