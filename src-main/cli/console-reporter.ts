// What `micronetes run` prints: one line per thing that happened, in the style
// `[03:26:23 INF] web_65758656-1 running on process id 8472 bound to http://localhost:51016`,
// and every replica's output prefixed with its name.
import type { DeliveredEvent, SessionInfo } from '../../src-shared/contract'
import { formatProblem } from '../../src-shared/problems'
import type { ReplicaState, ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import { terminalSafeText } from '../../src-shared/terminal-text'
import { lineOf, type LineBatch } from '../core/line-splitter'
import type { LogRun } from '../core/logs/log-run'
import { terminalSafeBatch } from './terminal-safe-batch'

export type Level = 'INF' | 'WRN' | 'ERR'

function two(n: number): string {
  return String(n).padStart(2, '0')
}

function clock(time: Date): string {
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`
}

export function consoleLine(level: Level, text: string, time = new Date()): string {
  return `[${clock(time)} ${level}] ${text}`
}

/** the clock of the current second, formatted once per second rather than once per line */
class SecondClock {
  private second = -1
  private text = ''

  now(ms = Date.now()): string {
    const second = Math.floor(ms / 1000)
    if (second !== this.second) {
      this.second = second
      this.text = clock(new Date(ms))
    }
    return this.text
  }
}

/** "Mapping external port 5005 to internal port(s) 51016, 51017 for web" per binding */
export function mappingLines(services: ServiceStatus[]): string[] {
  const lines: string[] = []
  for (const service of services) {
    if (service.kind === 'external') continue
    if (service.kind === 'ingress') {
      for (const binding of service.bindings) lines.push(`Ingress ${service.name} listening on http://localhost:${binding.port}`)
      continue
    }
    service.bindings.forEach((binding, i) => {
      if (binding.connectionStringOnly) return
      const internal = service.replicaStatuses.map((r) => r.ports[i]).filter((p): p is number => p !== undefined)
      const which = binding.name ? `${service.name} (binding ${binding.name})` : service.name
      lines.push(`Mapping external port ${binding.port} to internal port(s) ${internal.length > 0 ? internal.join(', ') : '(none yet)'} for ${which}`)
    })
  }
  return lines
}

function boundTo(replica: ReplicaStatus, service: ServiceStatus | undefined): string {
  if (replica.ports.length === 0) return ''
  const urls = replica.ports.map((port, i) => `${service?.bindings[i]?.protocol ?? 'http'}://localhost:${port}`)
  return ` bound to ${urls.join(', ')}`
}

export class ConsoleReporter {
  private readonly lastState = new Map<string, ReplicaState>()
  private readonly services = new Map<string, ServiceStatus>()
  private held: string[] | undefined = []
  private readonly clock = new SecondClock()

  constructor(
    /** a replica's output line */
    private readonly write: (line: string) => void,
    /** a batch's lines with `prefix` (UTF-8) before each, bytes as given (ConsoleOutput.lines); default: line by line through write */
    private readonly writeLines: (prefix: Buffer, batch: LineBatch) => void = (prefix, batch) => {
      const text = prefix.toString()
      for (let i = 0; i < batch.ends.length; i++) write(text + lineOf(batch, i))
    },
    /** Micronetes' own status line (never skipped for a console that is behind, as output may be) */
    private readonly writeStatus: (line: string) => void = write,
  ) {}

  /** lines printed from now on go out at once; those held during start-up go first */
  release(): void {
    const held = this.held ?? []
    this.held = undefined
    for (const line of held) this.writeStatus(line)
  }

  /** a status line; it may quote a replica (a probe's answer), so it is cleaned like its output */
  print(level: Level, text: string): void {
    const line = `[${this.clock.now()} ${level}] ${terminalSafeText(text)}`
    if (this.held) this.held.push(line)
    else this.writeStatus(line)
  }

  /** printed at once, even while start-up lines are held (the header) */
  printNow(level: Level, text: string): void {
    this.writeStatus(consoleLine(level, terminalSafeText(text)))
  }

  onEvent(event: DeliveredEvent): void {
    switch (event.type) {
      case 'service': {
        const before = this.services.get(event.service.name)
        this.services.set(event.service.name, event.service)
        if (event.service.watchPaused && event.service.watchPaused !== before?.watchPaused) this.print('WRN', `${event.service.name}: watch ${event.service.watchPaused}`)
        if (event.service.lastBuild?.state === 'failed' && before?.lastBuild?.state !== 'failed') this.print('ERR', `${event.service.name}: ${event.service.lastBuild.message?.split('\n')[0] ?? 'build failed'}; its running replicas stay as they are`)
        if (before && before.replicas !== event.service.replicas) {
          this.print('INF', `Scaled ${event.service.name} from ${before.replicas} to ${event.service.replicas} replica${event.service.replicas === 1 ? '' : 's'}`)
        }
        this.startOrder(event.service, before)
        return
      }
      case 'replica':
        this.onReplica(event.replica)
        return
      case 'replica-removed':
        this.lastState.delete(event.replica)
        this.print('INF', `${event.replica} removed`)
        return
      case 'service-removed':
        this.services.delete(event.service)
        this.print('INF', `${event.service} removed`)
        return
      case 'log':
        // the console subscribes with onLogRun: its log lines come as runs
        return
      case 'logs-dropped':
        return
      case 'application':
        return
      case 'session':
        this.onSession(event.session)
        return
    }
  }

  private lastReloadAt: number | undefined
  private watchingSaid = false
  private spawnFallbackSaid = false

  /** the outcome of each reload, once: a summary, and a broken file's problems */
  private onSession(session: SessionInfo): void {
    if (session.spawnFallback && !this.spawnFallbackSaid) {
      this.spawnFallbackSaid = true
      this.print('WRN', `Replicas: ${session.spawnFallback}; they are started by Node's spawn() from now on`)
    }
    if (session.watching && !this.watchingSaid && session.application) {
      this.watchingSaid = true
      this.print('INF', `Watching ${session.application.source} and the files it reads; a saved change is applied (--no-reload turns this off)`)
    }
    const outcome = session.lastReload
    if (!outcome || outcome.at === this.lastReloadAt) return
    this.lastReloadAt = outcome.at
    switch (outcome.result) {
      case 'applied':
      case 'unchanged':
        this.print('INF', outcome.summary)
        return
      case 'failed':
        this.print('WRN', `${outcome.summary}; ${outcome.message ?? 'not all of it could be applied'}`)
        return
      case 'invalid':
        this.print('ERR', outcome.summary)
        for (const problem of outcome.problems) this.print('ERR', formatProblem(problem))
    }
  }

  /**
   * A run's lines printed with one prefix each: read at the same moment, they share the clock.
   * Replicas' output goes to a terminal, so it keeps its colours and loses every other control.
   */
  onLogRun(run: LogRun): void {
    const count = run.ends.length
    if (count === 0) return
    const prefix = this.logPrefix(run.replica, run.time)
    const safe = terminalSafeBatch(run)
    if (this.held || run.stream === 'system') {
      for (let i = 0; i < count; i++) {
        // Micronetes' own message that the replica's state line already said
        if (run.stream === 'system' && this.isStateMessage(run.replica, lineOf(run, i))) continue
        const text = prefix + lineOf(safe, i)
        if (this.held) this.held.push(text)
        else this.write(text)
      }
      return
    }
    this.writeLines(this.prefixOf.bytes, safe)
  }

  private readonly messages = new Map<string, string>()
  private prefixOf = { replica: '', clock: '', prefix: '', bytes: Buffer.alloc(0) }

  /** `[03:26:23 INF] [web_65758656-1]: `, built again only when the second or the replica changes */
  private logPrefix(replica: string, time: number): string {
    const clock = this.clock.now(time)
    const last = this.prefixOf
    if (last.replica === replica && last.clock === clock) return last.prefix
    const prefix = `[${clock} INF] [${replica}]: `
    this.prefixOf = { replica, clock, prefix, bytes: Buffer.from(prefix) }
    return prefix
  }

  /** "api waiting for db (ready)" as it changes; "tools not started: autoStart is false" once */
  private startOrder(service: ServiceStatus, before: ServiceStatus | undefined): void {
    if (service.state === 'waiting' && service.message && service.message !== before?.message) this.print('INF', `${service.name} ${service.message}`)
    if (service.notStarted !== undefined && before?.notStarted === undefined) {
      this.print('INF', `${service.name} not started: ${service.notStarted}; start it from the dashboard or with POST /api/v1/services/${service.name}/start`)
    }
  }

  private isStateMessage(replica: string, text: string): boolean {
    const message = this.messages.get(replica)
    return message !== undefined && (text === message || text === `${replica} ${message}`)
  }

  private onReplica(replica: ReplicaStatus): void {
    const before = this.lastState.get(replica.name)
    this.lastState.set(replica.name, replica.state)
    const messageBefore = this.messages.get(replica.name)
    if (replica.message !== undefined) this.messages.set(replica.name, replica.message)
    else this.messages.delete(replica.name)
    if (before === replica.state) {
      if (replica.state === 'running' && replica.message && replica.message !== messageBefore) this.print('WRN', `${replica.name} ${replica.message}`)
      return
    }
    const service = this.services.get(replica.service)
    switch (replica.state) {
      case 'running': {
        // a ready replica that failed readiness: out of the proxy, still running
        if (before === 'ready') {
          this.print('WRN', `${replica.name} ${replica.message ?? 'not ready'}`)
          return
        }
        const where = replica.containerId ? `in container ${replica.containerId.slice(0, 12)}` : `on process id ${replica.pid ?? '?'}`
        this.print('INF', `${replica.name} running ${where}${boundTo(replica, service)}`)
        return
      }
      case 'crashed':
        this.print('ERR', `${replica.name} ${replica.message ?? 'exited'}`)
        return
      case 'backoff': {
        const message = replica.message ?? ''
        this.print('WRN', `${replica.name} ${message.slice(message.indexOf('; ') + 2) || 'restarting'}`)
        return
      }
      case 'failed':
        this.print('ERR', `${replica.name} failed: ${replica.message ?? 'cannot run'}`)
        return
      case 'ready':
        // only a readiness probe has something to say; plain readiness is the usual case
        if (replica.readiness) this.print('INF', `${replica.name} ready: ${replica.readiness.message}`)
        return
      case 'stopped':
        if (replica.message) this.print('INF', `${replica.name} ${replica.message}`)
        else if (before === 'stopping') this.print('INF', `${replica.name} stopped`)
        return
      default:
        return
    }
  }
}
