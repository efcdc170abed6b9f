// What deserves a person's attention, from the event stream: a replica that crashed, went into
// backoff or failed, and the application fully ready after a start or a reload. Grouped per
// service: the first trouble is told at once, what follows within the window is told once, as
// one notice that replaces the first. A crash loop is one notice per window, not one per crash.
// Pure: the desktop's native notifications and the dashboard's toasts both build on it.
import type { MicronetesEvent } from './events'
import type { ReplicaState, ServiceState } from './status'

export interface Notice {
  /** the same id for a notice that replaces an earlier one (same service, same window) */
  id: string
  kind: 'trouble' | 'ready'
  title: string
  body: string
  /** the service to show when the notice is clicked */
  service?: string
  /** events this notice stands for */
  count: number
}

export interface NoticeOptions {
  emit(notice: Notice): void
  /** how long troubles of one service are gathered into one notice */
  windowMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export const NOTICE_WINDOW_MS = 10_000

const TROUBLE: ReadonlySet<ReplicaState> = new Set(['crashed', 'backoff', 'failed'])
const SETTLED: ReadonlySet<ServiceState> = new Set(['running', 'external', 'stopped'])

interface Group {
  id: string
  count: number
  /** told so far */
  told: number
  lines: string[]
  timer: unknown
}

let groupSerial = 0

export class NoticeGrouper {
  private readonly states = new Map<string, ReplicaState>()
  private readonly services = new Map<string, ServiceState>()
  private readonly groups = new Map<string, Group>()
  private awaitingReady = false
  /** start() has launched every replica: every service is known */
  private launched = false
  private readonly windowMs: number

  constructor(private readonly options: NoticeOptions) {
    this.windowMs = options.windowMs ?? NOTICE_WINDOW_MS
  }

  /** a new application or a reload: what was known of the last one no longer applies */
  reset(): void {
    for (const group of this.groups.values()) this.clear(group.timer)
    this.groups.clear()
    this.states.clear()
    this.services.clear()
  }

  take(event: MicronetesEvent): void {
    switch (event.type) {
      case 'application':
        if (event.state === 'starting') {
          this.reset()
          this.awaitingReady = true
          this.launched = false
        } else if (event.state === 'running') {
          this.launched = true
          this.checkReady()
        } else this.awaitingReady = false
        return
      case 'service':
        this.services.set(event.service.name, event.service.state)
        this.checkReady()
        return
      case 'replica': {
        const { name, service, state, message } = event.replica
        const before = this.states.get(name)
        this.states.set(name, state)
        if (state === before || !TROUBLE.has(state)) return
        // the backoff that follows a crash is the same incident
        if (state === 'backoff' && before === 'crashed') return
        this.trouble(service, `${name} ${describe(state, message)}`)
        return
      }
      case 'replica-removed':
        this.states.delete(event.replica)
        return
      default:
        return
    }
  }

  dispose(): void {
    for (const group of this.groups.values()) this.clear(group.timer)
    this.groups.clear()
  }

  private trouble(service: string, line: string): void {
    const group = this.groups.get(service)
    if (group) {
      group.count++
      group.lines.push(line)
      return
    }
    const fresh: Group = { id: `notice-${++groupSerial}`, count: 1, told: 1, lines: [line], timer: undefined }
    this.groups.set(service, fresh)
    this.options.emit({ id: fresh.id, kind: 'trouble', title: `${service}: a replica is in trouble`, body: line, service, count: 1 })
    fresh.timer = this.later(() => this.closeWindow(service, fresh), this.windowMs)
  }

  /** the window ends: what came after the first notice is told as one, and a new window opens only if there was any */
  private closeWindow(service: string, group: Group): void {
    if (this.groups.get(service) !== group) return
    if (group.count === group.told) {
      this.groups.delete(service)
      return
    }
    const more = group.count
    const seconds = Math.round(this.windowMs / 1000)
    this.options.emit({
      id: group.id,
      kind: 'trouble',
      title: `${service}: ${more} replica problems in ${seconds} s`,
      body: group.lines.slice(-3).join('\n') + (group.lines.length > 3 ? `\n… and ${group.lines.length - 3} more` : ''),
      service,
      count: more,
    })
    group.told = group.count
    group.timer = this.later(() => this.closeWindow(service, group), this.windowMs)
  }

  private checkReady(): void {
    if (!this.awaitingReady || !this.launched || this.services.size === 0) return
    for (const state of this.services.values()) if (!SETTLED.has(state)) return
    if (![...this.services.values()].some((s) => s === 'running')) return
    this.awaitingReady = false
    this.options.emit({ id: `notice-${++groupSerial}`, kind: 'ready', title: 'Application ready', body: `${this.services.size} service${this.services.size === 1 ? '' : 's'} running`, count: 1 })
  }

  private later(fn: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((f, t) => setTimeout(f, t)))(fn, ms)
  }

  private clear(timer: unknown): void {
    if (timer === undefined) return
    if (this.options.clearTimer) this.options.clearTimer(timer)
    else clearTimeout(timer as ReturnType<typeof setTimeout>)
  }
}

function describe(state: ReplicaState, message: string | undefined): string {
  if (state === 'failed') return `failed${message ? `: ${message}` : ''}`
  if (state === 'backoff') return 'is waiting to restart'
  return message ?? 'crashed'
}
