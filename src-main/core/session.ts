// "The application currently open" for a host: the CLI opens one for its lifetime, the
// desktop app opens, reloads and closes them. Numbers every event of whichever application
// runs, plus a 'session' event at each change, and serves the contract's handlers.
import { existsSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { ContractHandlers, DeliveredEvent, SessionInfo, SessionState } from '../../src-shared/contract'
import type { ControlPlane } from '../../src-shared/control-plane'
import { ControlError } from '../../src-shared/errors'
import type { ConfigProblem } from '../../src-shared/problems'
import { findAppFile } from './config/find-app-file'
import type { ReloadOutcome } from '../../src-shared/reload-outcome'
import { loadApplication, type LoadResult } from './config/load-application'
import { DEFAULT_EVENT_BUFFER, DEFAULT_EVENT_LOG_CHARS, EventLog, type SubscribeOptions } from './event-log'
import { Orchestrator, type OrchestratorOptions } from './orchestrator'
import { FileWatcher } from './reload/file-watcher'
import { ServiceWatchers } from './reload/service-watchers'
import { Watchers } from './resources/watchers'
import { MemoryRecentList, type RecentList } from './recent-list'
import type { SessionHost } from './session-host'
import { createRuntime, type Runtime } from './runtime'

export interface SessionOptions {
  /** true inside the desktop app: openApplication works; the CLI refuses it */
  desktop?: boolean
  /** reads and checks an app.yaml; default: the app.yaml loader */
  loadApplication?: (path: string) => Promise<LoadResult>
  orchestrator?: OrchestratorOptions
  /** the host's guard, output channels and proxy engines, shared by every application it opens; by default the session's own */
  runtime?: Runtime
  eventBufferSize?: number
  /** characters of log text the replay buffer keeps */
  eventLogChars?: number
  /** the files opened cleanly, newest first; default: kept in memory */
  recent?: RecentList
  /** desktop: asks which file to open when openApplication has no path (undefined: cancelled) */
  chooseFile?: () => Promise<string | undefined>
  /** reload when app.yaml, the .env beside it or a service's env file changes */
  watchFiles?: boolean
  /** quiet time after the last change before reloading */
  fileDebounceMs?: number
}

export class Session implements SessionHost {
  private state: SessionState = 'empty'
  private orchestrator: Orchestrator | undefined
  private unsubscribe: (() => void) | undefined
  private problems: ConfigProblem[] = []
  private warnings: ConfigProblem[] = []
  private lastReload: ReloadOutcome | undefined
  private fileWatcher: FileWatcher | undefined
  private serviceWatchers: ServiceWatchers | undefined
  private message: string | undefined
  private apiUrl: string | undefined
  private path: string | undefined
  private named: string | undefined
  private readonly recent: RecentList
  private readonly events: EventLog
  private readonly desktop: boolean
  private readonly runtime: Runtime
  /** outlives each application, so a dashboard that stays open keeps the next one sampled fast */
  private readonly watchers = new Watchers()
  /** open / reload / close run one after another */
  private queue: Promise<unknown> = Promise.resolve()

  readonly handlers: ContractHandlers

  constructor(private readonly options: SessionOptions = {}) {
    this.desktop = options.desktop ?? false
    this.runtime = options.runtime ?? createRuntime()
    // the spawner can die while the application runs: the dashboard and the console hear it then
    this.runtime.spawner.onFailure(() => this.publishSession())
    this.recent = options.recent ?? new MemoryRecentList()
    this.events = new EventLog(options.eventBufferSize ?? DEFAULT_EVENT_BUFFER, options.eventLogChars ?? DEFAULT_EVENT_LOG_CHARS)
    this.handlers = {
      session: () => this.info(),
      services: () => this.running().services(),
      logs: (input) => this.running().logs(input),
      replica: (input) => this.running().replica(input.replica),
      resources: (input) => this.running().resources(input.service),
      scale: (input) => this.running().scale(input.service, input.replicas),
      restartService: (input) => this.running().restartService(input.service),
      restartReplica: (input) => this.running().restartReplica(input.replica),
      stopService: (input) => this.running().stopService(input.service),
      startService: (input) => this.running().startService(input.service),
      openApplication: (input) => {
        if (!this.desktop) throw new ControlError('conflict', 'this Micronetes runs one application from the command line; it cannot open another')
        const choose = this.options.chooseFile
        if (!input.path && !choose) throw new ControlError('invalid', 'openApplication: a path is required')
        return this.open(input.path ?? choose!)
      },
      reloadApplication: () => this.reload(),
      closeApplication: () => this.close(),
    }
  }

  info(): SessionInfo {
    const info: SessionInfo = {
      state: this.state,
      problems: [...this.problems],
      warnings: [...this.warnings],
      desktop: this.desktop,
      recentFiles: this.recent.list(),
    }
    const app = this.orchestrator?.application()
    if (app) info.application = app
    if (this.apiUrl !== undefined) info.apiUrl = this.apiUrl
    if (this.message !== undefined) info.message = this.message
    if (this.fileWatcher) info.watching = true
    if (this.lastReload) info.lastReload = { ...this.lastReload, problems: [...this.lastReload.problems] }
    const proxyFallback = this.runtime.proxies.relayFailure()
    if (proxyFallback !== undefined) info.proxyFallback = proxyFallback
    const spawnFallback = this.runtime.spawner.failureReason
    if (spawnFallback !== undefined) info.spawnFallback = spawnFallback
    return info
  }

  current(): ControlPlane | undefined {
    return this.orchestrator
  }

  /** the app.yaml path last opened */
  get source(): string | undefined {
    return this.path
  }

  subscribe(listener: (event: DeliveredEvent) => void, options?: SubscribeOptions): () => void {
    return this.events.subscribe(listener, options)
  }

  watch(): () => void {
    return this.watchers.hold()
  }

  setApiUrl(url: string): void {
    this.apiUrl = url
    this.publishSession()
  }

  /**
   * Closes what runs, loads the file and starts it. Problems in the file leave the state
   * `error` with every problem listed and nothing started; a start failure (a port taken)
   * leaves `error` with its message.
   */
  open(given: string | (() => Promise<string | undefined>)): Promise<SessionInfo> {
    return this.serialize(async () => {
      // the dialog is asked in turn too, so two quick File > Open clicks open one after the other
      const chosen = typeof given === 'string' ? given : await given()
      if (chosen === undefined) return
      await this.closeCurrent()
      // a folder (dropped on the window, or on a command line) means the app.yaml or tye.yaml in it
      const found = findAppFile(chosen)
      if (!found.ok) {
        this.problems = []
        this.message = found.message
        this.setState('error')
        this.remember(resolve(chosen))
        return
      }
      const path = found.file
      this.lastReload = undefined
      this.path = resolve(path)
      // problems quote the file as the user named it
      this.named = path
      await this.startFrom(path)
      this.remember(this.path)
      this.watchFiles()
    })
  }

  /** File > Open Recent > Clear */
  clearRecent(): void {
    this.recent.clear()
    this.publishSession()
  }

  /**
   * Reads the file again. While the application runs, a file with problems changes nothing
   * (the problems are kept in lastReload until a reload succeeds) and a good one is applied
   * as a difference; an application that is not running is started afresh.
   */
  reload(): Promise<SessionInfo> {
    return this.serialize(async () => {
      if (!this.path) throw new ControlError('conflict', 'no application has been opened yet')
      if (this.orchestrator && this.state === 'running') {
        await this.applyFile(this.orchestrator, this.named ?? this.path)
      } else {
        await this.closeCurrent()
        this.lastReload = undefined
        await this.startFrom(this.named ?? this.path)
      }
      this.watchFiles()
    })
  }

  close(): Promise<SessionInfo> {
    return this.serialize(async () => {
      await this.fileWatcher?.close()
      this.fileWatcher = undefined
      await this.closeCurrent()
      this.problems = []
      this.warnings = []
      this.message = undefined
      this.setState('empty')
    })
  }

  /** the last resort of a second Ctrl-C: SIGKILL every replica now, wait for nothing */
  forceStop(): void {
    this.orchestrator?.kill()
  }

  private running(): ControlPlane {
    if (!this.orchestrator || this.state === 'stopping') throw new ControlError('unavailable', 'no application is running')
    return this.orchestrator
  }

  private serialize(action: () => Promise<void>): Promise<SessionInfo> {
    const run = this.queue.then(action)
    this.queue = run.catch(() => undefined)
    return run.then(() => this.info())
  }

  private async startFrom(path: string): Promise<void> {
    this.problems = []
    this.warnings = []
    this.message = undefined
    this.setState('starting')
    let loaded: LoadResult
    try {
      loaded = await (this.options.loadApplication ?? loadApplication)(path)
    } catch (err) {
      this.message = `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`
      this.setState('error')
      return
    }
    this.warnings = loaded.warnings
    if (!loaded.ok) {
      this.problems = loaded.problems
      this.message = `${path} has ${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}`
      this.setState('error')
      return
    }
    let orchestrator: Orchestrator
    try {
      orchestrator = new Orchestrator(loaded.application, { runtime: this.runtime, ...this.options.orchestrator, watchers: this.watchers })
    } catch (err) {
      // a service asked for on the command line that the file does not have
      this.message = err instanceof Error ? err.message : String(err)
      this.setState('error')
      return
    }
    this.orchestrator = orchestrator
    this.unsubscribe = orchestrator.subscribe((event) => this.events.append(event), { onLogRun: (run) => this.events.appendRun(run) })
    this.publishSession()
    try {
      await orchestrator.start()
    } catch (err) {
      this.unsubscribe()
      this.unsubscribe = undefined
      this.orchestrator = undefined
      this.message = err instanceof Error ? err.message : String(err)
      this.setState('error')
      return
    }
    this.setState('running')
    await this.watchServices(orchestrator)
  }

  /**
   * app.yaml, the .env beside it, and every env file of what runs; a change reloads. Not
   * awaited: an open or reload is done without waiting for the watcher to be set up.
   */
  private watchFiles(): void {
    if (!this.options.watchFiles || !this.path) return
    const files = new Set([this.path, join(dirname(this.path), '.env')])
    for (const service of this.orchestrator?.app.services ?? []) for (const f of service.envFiles) files.add(f)
    // a file that stopped loading keeps the env files it read before in the set
    for (const f of this.watchedEnvFiles) files.add(f)
    if (this.orchestrator) this.watchedEnvFiles = this.orchestrator.app.services.flatMap((s) => s.envFiles)
    const fresh = !this.fileWatcher
    this.fileWatcher ??= new FileWatcher(() => {
      this.reload().catch(() => undefined)
    }, this.options.fileDebounceMs)
    void this.fileWatcher.setFiles(files).then(() => {
      if (fresh) this.publishSession()
    })
  }

  private watchedEnvFiles: string[] = []

  /** each service's own watch: a change restarts (or rebuilds) it, and with cascade its dependents */
  private async watchServices(orchestrator: Orchestrator): Promise<void> {
    if (!orchestrator.app.services.some((s) => s.watch) && !this.serviceWatchers) return
    this.serviceWatchers ??= new ServiceWatchers({
      act: async (service) => {
        if (this.orchestrator !== orchestrator) return
        await orchestrator.refresh(service.name, { build: service.watch?.action === 'rebuild' })
        if (!service.watch?.cascade) return
        const dependents = orchestrator.app.services.filter((s) => s.kind !== 'external' && s.dependsOn.some((d) => d.service === service.name))
        await Promise.all(dependents.map((s) => orchestrator.refresh(s.name, { build: false }).catch(() => undefined)))
      },
      paused: (service, reason) => {
        if (this.orchestrator === orchestrator) orchestrator.setWatchPaused(service, reason)
      },
    })
    await this.serviceWatchers.update(orchestrator.app.services, orchestrator.app.directory)
  }

  private async applyFile(orchestrator: Orchestrator, path: string): Promise<void> {
    const at = Date.now()
    const file = basename(path)
    let loaded: LoadResult
    try {
      loaded = await (this.options.loadApplication ?? loadApplication)(path)
    } catch (err) {
      loaded = { ok: false, problems: [{ file: path, line: 1, col: 1, severity: 'error', message: `cannot read the file: ${err instanceof Error ? err.message : String(err)}` }], warnings: [] }
    }
    if (!loaded.ok) {
      const count = loaded.problems.length
      this.lastReload = {
        at,
        result: 'invalid',
        summary: `${file} has ${count} problem${count === 1 ? '' : 's'}; the application keeps running as it was`,
        problems: loaded.problems,
      }
      this.publishSession()
      return
    }
    this.warnings = loaded.warnings
    try {
      const applied = await orchestrator.reload(loaded.application)
      const nothing = applied.summary === 'nothing to apply'
      this.lastReload = {
        at,
        result: applied.failures.length > 0 ? 'failed' : nothing ? 'unchanged' : 'applied',
        summary: `${file} changed: ${applied.summary}`,
        problems: [],
        ...(applied.failures.length > 0 ? { message: applied.failures.join('; ') } : {}),
      }
    } catch (err) {
      this.lastReload = { at, result: 'failed', summary: `${file} changed, and nothing was applied`, problems: [], message: err instanceof Error ? err.message : String(err) }
    }
    this.publishSession()
    await this.watchServices(orchestrator)
  }

  private async closeCurrent(): Promise<void> {
    await this.serviceWatchers?.close()
    this.serviceWatchers = undefined
    const orchestrator = this.orchestrator
    if (!orchestrator) return
    this.setState('stopping')
    await orchestrator.stop()
    this.unsubscribe?.()
    this.unsubscribe = undefined
    this.orchestrator = undefined
  }

  /** a file that opened cleanly is recent; one that is gone is forgotten */
  private remember(path: string): void {
    if (this.problems.length === 0 && this.orchestrator) this.recent.add(path)
    else if (!existsSync(path)) this.recent.remove(path)
    else return
    this.publishSession()
  }

  private setState(state: SessionState): void {
    this.state = state
    this.publishSession()
  }

  private publishSession(): void {
    this.events.append({ type: 'session', session: this.info() })
  }
}
