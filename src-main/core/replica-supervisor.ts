// One replica's life: launch through its runner, watch for readiness, restart with backoff
// when it exits and the policy says so, stop on request (at once when waiting in backoff).
// The supervisor owns the replica's state; runners only launch and stop.
import type { Application, Service } from '../../src-shared/app-model'
import type { LogLine, ProbeResult, ReplicaState, ReplicaStatus } from '../../src-shared/status'
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff'
import { ReplicaHealth } from './health/replica-health'
import { acceptingAddress, CONTAINER_HOLD_MS } from './readiness'
import { linesOf, singleLine, type LineBatch } from './line-splitter'
import type { ReplicaExit, ReplicaHandle, ReplicaRunner } from './runner'

export interface ReplicaSupervisorOptions {
  application: Application
  service: Service
  name: string
  ordinal: number
  /** one internal host port per binding */
  ports: number[]
  /** everything the replica gets */
  env: Record<string, string>
  /** containers: the host ports its discovery variables point at */
  hostPorts?: readonly number[]
  /** what status() shows as its environment (without the inherited parent variables) */
  shownEnvironment: Record<string, string>
  runner: () => Promise<ReplicaRunner>
  backoff?: BackoffOptions
  /** longest pause between two readiness probes */
  readinessIntervalMs?: number
  /** how long a replica may stay unready before its status says why */
  readinessHintMs?: number
  onStatus(status: ReplicaStatus): void
  /** the replica's output as the runner read it, and the supervisor's messages as one-line 'system' batches */
  onLines(stream: LogLine['stream'], batch: LineBatch): void
  /** told of every launch; what it returns is called once that launch has exited */
  onLaunched?(handle: ReplicaHandle): (() => void) | undefined
}

export function describeExit(exit: ReplicaExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`
  return `exited with code ${exit.exitCode ?? 'unknown'}`
}

const READINESS_HINT_MS = 15_000

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}

export class ReplicaSupervisor {
  private state: ReplicaState = 'stopped'
  private pid: number | undefined
  private containerId: string | undefined
  private exitCode: number | null = null
  private restarts = 0
  private startedAt: number | undefined
  private nextRetryAt: number | undefined
  private message: string | undefined
  private commandLine: string[] = []
  private workingDirectory: string | undefined
  private handle: ReplicaHandle | undefined
  private handleStop: Promise<ReplicaExit> | undefined
  private loop: Promise<void> | undefined
  private stopRequested = false
  private wake: (() => void) | undefined
  private readonly backoff: Backoff
  /** per port, the loopback address it accepted on (for the proxy) */
  readyHosts: string[] = []
  // probes of the current launch (health/replica-health.ts), and what they last said
  private health: ReplicaHealth | undefined
  private probeResults: { readiness?: ProbeResult; liveness?: ProbeResult } = {}
  /** set when liveness stopped the current launch: the reason it is restarted */
  private livenessFailure: string | undefined
  /** failed probe checks over every launch, for the metrics */
  readonly probeFailures = { readiness: 0, liveness: 0 }
  /** relaunches since start() (by hand): what maxRestarts limits */
  private restartsSinceStart = 0
  private completedRun = false
  /** this launch was ready once: running again means readiness took it out of the proxy */
  private readyThisLaunch = false

  constructor(private readonly options: ReplicaSupervisorOptions) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF)
    this.environment = Object.freeze({ ...options.shownEnvironment })
    this.frozenPorts = Object.freeze([...options.ports]) as number[]
  }

  /** what the replica was given, shown in its details; frozen, so every caller shares it */
  readonly environment: Record<string, string>
  // every status (and so every event kept for replay) shares it instead of copying it
  private readonly frozenPorts: number[]

  get name(): string {
    return this.options.name
  }

  get ordinal(): number {
    return this.options.ordinal
  }

  get ports(): number[] {
    return this.options.ports
  }

  get currentState(): ReplicaState {
    return this.state
  }

  get restartCount(): number {
    return this.restarts
  }

  get startTime(): number | undefined {
    return this.startedAt
  }

  get processId(): number | undefined {
    return this.pid
  }

  /** it was ready in this launch and is not any more: readiness took it out of the proxy */
  get droppedOut(): boolean {
    return this.readyThisLaunch && this.state === 'running'
  }

  /** its last run exited with code 0 and will not be restarted: a job that is done */
  get completed(): boolean {
    return this.completedRun
  }

  status(): ReplicaStatus {
    const status: ReplicaStatus = {
      name: this.options.name,
      service: this.options.service.name,
      ordinal: this.options.ordinal,
      state: this.state,
      ports: this.frozenPorts,
      exitCode: this.exitCode,
      restarts: this.restarts,
      commandLine: this.commandLine,
    }
    if (this.pid !== undefined) status.pid = this.pid
    if (this.containerId !== undefined) status.containerId = this.containerId
    if (this.startedAt !== undefined) status.startedAt = this.startedAt
    if (this.nextRetryAt !== undefined) status.nextRetryAt = this.nextRetryAt
    if (this.message !== undefined) status.message = this.message
    if (this.workingDirectory !== undefined) status.workingDirectory = this.workingDirectory
    const { readiness, liveness } = this.probeResults
    if (readiness) status.readiness = readiness
    if (liveness) status.liveness = liveness
    if (readiness || liveness) status.health = (readiness?.ok ?? true) && (liveness?.ok ?? true) ? 'healthy' : 'unhealthy'
    return status
  }

  /** starts the replica unless it is already running (or on its way), or retired */
  start(): void {
    if (this.loop || this.retired) return
    this.stopRequested = false
    this.killRequested = false
    this.backoff.reset()
    this.restartsSinceStart = 0
    this.loop = this.run()
      .catch((err: unknown) => {
        // a runner that breaks its promise (an exit that rejects) must not take the host down
        this.handle = undefined
        this.set('failed', { message: err instanceof Error ? err.message : String(err) })
      })
      .finally(() => {
        this.loop = undefined
      })
  }

  /** stops it (TERM, grace, KILL); resolves when it is gone and its ports are free */
  async stop(): Promise<void> {
    this.stopRequested = true
    this.wake?.()
    if (this.handle) void this.stopHandle(this.handle)
    await this.loop
    // a replica that had failed or crashed for good is now stopped on purpose
    if (this.state === 'failed' || this.state === 'crashed') this.set('stopped')
  }

  /**
   * Stops it for good: a restart already under way (its stop done, its start not yet) cannot
   * bring it back. For a replica scaled away or an application stopping.
   */
  retire(): Promise<void> {
    this.retired = true
    return this.stop()
  }

  private retired = false

  /** no grace: TERM and KILL at once (a second Ctrl-C); retires it as well */
  kill(): void {
    this.retired = true
    this.stopRequested = true
    this.killRequested = true
    this.wake?.()
    void this.handle?.stop(0)
  }

  /** a launch still under way when kill() came is stopped without grace too */
  private killRequested = false

  async restart(): Promise<void> {
    // a replica that was not running at all is started, not restarted
    const counts = this.loop !== undefined || this.state !== 'stopped'
    await this.stop()
    if (this.retired) return
    if (counts) this.restarts++
    this.start()
  }

  /** Micronetes' own message into the replica's log */
  private system(text: string): void {
    this.options.onLines('system', singleLine(text))
  }

  private set(state: ReplicaState, changes: Partial<Pick<ReplicaStatus, 'message' | 'nextRetryAt'>> = {}): void {
    this.state = state
    this.message = changes.message
    this.nextRetryAt = changes.nextRetryAt
    this.options.onStatus(this.status())
  }

  private stopHandle(handle: ReplicaHandle): Promise<ReplicaExit> {
    if (this.handle === handle && this.handleStop) return this.handleStop
    this.set('stopping')
    const stopping = handle.stop(this.killRequested ? 0 : this.options.service.stopGracePeriodMs)
    if (this.handle === handle) this.handleStop = stopping
    return stopping
  }

  private async run(): Promise<void> {
    let relaunch = false
    while (!this.stopRequested) {
      if (relaunch) {
        this.restarts++
        this.restartsSinceStart++
      }
      relaunch = true
      this.pid = undefined
      this.containerId = undefined
      this.readyHosts = []
      this.probeResults = {}
      this.livenessFailure = undefined
      this.completedRun = false
      this.readyThisLaunch = false
      this.set('starting')
      let handle: ReplicaHandle
      try {
        const runner = await this.options.runner()
        handle = await runner.launch({
          application: this.options.application,
          service: this.options.service,
          replicaName: this.options.name,
          ordinal: this.options.ordinal,
          ports: this.options.ports,
          env: this.options.env,
          ...(this.options.hostPorts ? { hostPorts: this.options.hostPorts } : {}),
          onLines: (stream, batch) => {
            if (stream !== 'system' && this.health?.watchesLines) for (const line of linesOf(batch)) this.health.line(line)
            this.options.onLines(stream, batch)
          },
        })
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        this.set('failed', { message })
        this.system(message)
        return
      }
      this.handle = handle
      this.handleStop = undefined
      const release = this.options.onLaunched?.(handle)
      if (release) void handle.exited.then(release, release)
      this.pid = handle.pid
      this.containerId = handle.containerId
      this.commandLine = Object.freeze([...handle.commandLine]) as string[]
      this.workingDirectory = handle.workingDirectory
      this.startedAt = Date.now()
      this.exitCode = null
      if (this.stopRequested) {
        const exit = await this.stopHandle(handle)
        this.finish(exit)
        return
      }
      this.set('running')
      this.health = this.watchHealth(handle)
      if (!this.options.service.readiness) void this.probeReadiness(handle)

      const exit = await handle.exited
      this.health?.stop()
      this.health = undefined
      if (this.livenessFailure && this.handleStop) await this.handleStop
      const ranFor = Date.now() - (this.startedAt ?? Date.now())
      if (this.stopRequested) {
        if (this.handleStop) await this.handleStop
        this.finish(exit)
        return
      }
      this.handle = undefined
      this.exitCode = exit.exitCode
      const how = this.livenessFailure ?? describeExit(exit)
      const { restart: policy, maxRestarts } = this.options.service
      const failed = exit.exitCode !== 0 || this.livenessFailure !== undefined
      if (policy === 'never' || (policy === 'on-failure' && !failed)) {
        this.completedRun = !failed
        this.set(failed ? 'crashed' : 'stopped', { message: how })
        this.system(`${this.options.name} ${how}`)
        return
      }
      if (maxRestarts !== undefined && this.restartsSinceStart >= maxRestarts) {
        const message = `${how}; not restarted again after ${maxRestarts} restart${maxRestarts === 1 ? '' : 's'} (maxRestarts)`
        this.set('failed', { message })
        this.system(`${this.options.name} ${message}`)
        return
      }
      this.set('crashed', { message: how })
      const delayMs = this.backoff.next(ranFor)
      const message = `${how}; restarting in ${formatDelay(delayMs)}`
      this.set('backoff', { message, nextRetryAt: Date.now() + delayMs })
      this.system(`${this.options.name} ${message}`)
      await this.sleep(delayMs)
    }
    if (this.state !== 'stopped') this.set('stopped')
  }

  /** the launch's probes; undefined when the service has none */
  private watchHealth(handle: ReplicaHandle): ReplicaHealth | undefined {
    const { service } = this.options
    if (!service.readiness && !service.liveness) return undefined
    const current = (): boolean => this.handle === handle && (this.state === 'running' || this.state === 'ready')
    const holdMs = service.kind === 'container' ? CONTAINER_HOLD_MS : 0
    const health = new ReplicaHealth({
      service,
      ports: this.options.ports,
      env: this.options.env,
      handle,
      holdMs,
      onResult: (probe, result) => {
        if (!current()) return
        if (!result.ok) this.probeFailures[probe]++
        const before = this.probeResults[probe]
        this.probeResults = { ...this.probeResults, [probe]: result }
        // status() always has the last result; an event only when it turns, or a starting
        // replica's readiness failures first add up to the threshold (then it says why)
        const why = probe === 'readiness' && this.state === 'running' && !result.ok && result.failures === (service.readiness?.failureThreshold ?? 1)
        if (why) this.set('running', { message: `not ready: ${result.message}` })
        else if (before?.ok !== result.ok) this.set(this.state, { message: this.message })
      },
      onReady: () => {
        if (!current()) return
        // the proxy needs the loopback address each port answers on
        void Promise.all(this.options.ports.map((port) => acceptingAddress(port, holdMs))).then((hosts) => {
          if (!current()) return
          this.readyHosts = hosts.map((h) => h ?? '127.0.0.1')
          this.readyThisLaunch = true
          this.set('ready')
        })
      },
      onUnready: (result) => {
        if (current()) this.set('running', { message: `not ready: ${result.message}` })
      },
      onLivenessFailed: (result) => {
        if (!current()) return
        this.livenessFailure = `liveness failed: ${result.message}`
        this.system(`${this.options.name} ${this.livenessFailure}; stopping it to restart`)
        void this.stopHandle(handle)
      },
    })
    health.start()
    return health
  }

  private finish(exit: ReplicaExit): void {
    this.health?.stop()
    this.health = undefined
    this.handle = undefined
    this.handleStop = undefined
    this.exitCode = exit.exitCode
    this.set('stopped')
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = undefined
        done()
      }
    })
  }

  private async probeReadiness(handle: ReplicaHandle): Promise<void> {
    const ports = this.options.ports
    const maxInterval = this.options.readinessIntervalMs ?? 500
    let interval = 25
    const holdMs = this.options.service.kind === 'container' ? CONTAINER_HOLD_MS : 0
    const current = (): boolean => this.handle === handle && this.state === 'running'
    const hintAt = Date.now() + (this.options.readinessHintMs ?? READINESS_HINT_MS)
    let hinted = false
    while (current()) {
      const hosts: string[] = []
      let silent: number | undefined
      for (const port of ports) {
        const host = await acceptingAddress(port, holdMs)
        if (!host) {
          silent = port
          break
        }
        hosts.push(host)
      }
      if (!current()) return
      if (silent !== undefined && !hinted && Date.now() >= hintAt) {
        // the most common first-run mistake: a service that listens on its own port, not on PORT
        hinted = true
        const listenOn = this.options.service.kind === 'container' ? `its container port` : `the port in PORT (${ports.join(';')})`
        this.set('running', { message: `not ready: nothing accepts connections on port ${silent}; does it listen on ${listenOn}?` })
      }
      if (hosts.length === ports.length) {
        this.readyHosts = hosts
        this.set('ready')
        return
      }
      await new Promise((resolve) => setTimeout(resolve, interval))
      interval = Math.min(interval * 2, maxInterval)
    }
  }
}
