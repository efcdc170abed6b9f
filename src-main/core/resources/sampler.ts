// Samples the application's replicas and proxies on a timer: every second while someone is
// looking, every few seconds otherwise. Keeps the latest reading and a bounded history per
// replica, and hands each reading on (the orchestrator emits it as a 'resources' event).
import type { ReplicaMetrics, ReplicaHistory, ResourceSample, ResourcesView } from '../../../src-shared/resources'
import type { ProxyStats } from '../proxy-types'
import type { ContainerMeter } from './container-meter'
import { HistoryRing } from './history'
import { createProcessMeter, type ProcessMeter, type Usage } from './process-meter'
import { bindingTraffic, RateTracker, readProxies, sumStats, zeroStats, type SampledBinding } from './traffic'
import type { Watchers } from './watchers'

export interface SampledReplica {
  service: string
  name: string
  /** the process group leader of a process replica */
  pid?: number
  containerId?: string
  /** launched and not yet exited */
  alive: boolean
  restarts: number
  startTime?: number
  /** the proxy hands it connections */
  ready: boolean
  /** failed checks of its probes, over every launch */
  probeFailures?: { readiness: number; liveness: number }
}

export interface SamplerOptions {
  replicas(): SampledReplica[]
  bindings(): SampledBinding[]
  watchers: Watchers
  processMeter?: ProcessMeter
  /** only asked for when a container replica runs */
  containerMeter?: () => ContainerMeter
  intervalMs?: number
  idleIntervalMs?: number
  historyMs?: number
  onSample?(sample: ResourceSample): void
}

export const DEFAULT_INTERVAL_MS = 1000
export const DEFAULT_IDLE_INTERVAL_MS = 5000
export const DEFAULT_HISTORY_MS = 15 * 60_000

export class ResourceSampler {
  readonly intervalMs: number
  readonly idleIntervalMs: number
  readonly historyMs: number
  private readonly processMeter: ProcessMeter
  private containerMeter: ContainerMeter | undefined
  private readonly history = new Map<string, { service: string; ring: HistoryRing }>()
  private readonly rates = new RateTracker()
  private last: ResourceSample | undefined
  private running: Promise<ResourceSample> | undefined
  private timer: NodeJS.Timeout | undefined
  private nextAt = 0
  private stopped = true
  private unwatch: (() => void) | undefined

  constructor(private readonly options: SamplerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS
    this.idleIntervalMs = options.idleIntervalMs ?? DEFAULT_IDLE_INTERVAL_MS
    this.historyMs = options.historyMs ?? DEFAULT_HISTORY_MS
    this.processMeter = options.processMeter ?? createProcessMeter()
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    // someone starts looking while the sampler waits out an idle interval: read soon
    this.unwatch = this.options.watchers.onLook(() => {
      if (!this.stopped && this.nextAt - Date.now() > this.intervalMs) this.schedule(0)
    })
    this.schedule(0)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.unwatch?.()
    this.containerMeter?.close()
    this.processMeter.close?.()
  }

  get latest(): ResourceSample | undefined {
    return this.last
  }

  /** one reading now; a reading already under way is shared, not doubled */
  sample(): Promise<ResourceSample> {
    this.running ??= this.read().finally(() => (this.running = undefined))
    return this.running
  }

  view(service?: string): ResourcesView {
    const since = Date.now() - this.historyMs
    const history: ReplicaHistory[] = []
    for (const [replica, { service: owner, ring }] of this.history) {
      if (service === undefined || owner === service) history.push(ring.read(owner, replica, since))
    }
    const view: ResourcesView = { intervalMs: this.intervalMs, idleIntervalMs: this.idleIntervalMs, historyMs: this.historyMs, history }
    if (this.last) view.latest = service === undefined ? this.last : onlyService(this.last, service)
    return view
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer)
    this.nextAt = Date.now() + delayMs
    this.timer = setTimeout(() => void this.tick(), delayMs)
    this.timer.unref()
  }

  private async tick(): Promise<void> {
    try {
      const sample = await this.sample()
      if (!this.stopped) this.options.onSample?.(sample)
    } catch {
      // a reading that fails (a proxy closing under it) is skipped; the next one tries again
    }
    if (!this.stopped) this.schedule(this.options.watchers.active ? this.intervalMs : this.idleIntervalMs)
  }

  private async read(): Promise<ResourceSample> {
    const replicas = this.options.replicas()
    const bindings = this.options.bindings()
    const live = replicas.filter((r) => r.alive)
    const pids = live.flatMap((r) => (r.pid !== undefined ? [r.pid] : []))
    const containers = live.flatMap((r) => (r.containerId !== undefined && r.pid === undefined ? [r.containerId] : []))
    if (containers.length > 0) this.containerMeter ??= this.options.containerMeter?.()
    const [byPid, byContainer, proxyStats] = await Promise.all([
      this.processMeter.measure(pids),
      this.containerMeter?.measure(containers) ?? new Map<string, Usage>(),
      readProxies(bindings),
    ])
    const time = Date.now()
    const sample: ResourceSample = { time, replicas: [], bindings: bindings.map((b, i) => bindingTraffic(b, proxyStats[i]!, this.rates, time)) }
    const byService = new Map<string, Map<string, ProxyStats>[]>()
    bindings.forEach((b, i) => {
      const list = byService.get(b.service)
      if (list) list.push(proxyStats[i]!)
      else byService.set(b.service, [proxyStats[i]!])
    })
    const seen = new Set<string>()
    for (const replica of replicas) {
      seen.add(replica.name)
      const usage = replica.alive ? (replica.pid !== undefined ? byPid.get(replica.pid) : replica.containerId !== undefined ? byContainer.get(replica.containerId) : undefined) : undefined
      const traffic = zeroStats()
      for (const stats of byService.get(replica.service) ?? []) {
        const s = stats.get(replica.name)
        if (s) sumStats(traffic, s)
      }
      const rates = this.rates.rates(`replica:${replica.name}`, traffic, time)
      const figures: ReplicaMetrics = {
        service: replica.service,
        replica: replica.name,
        cpuPercent: round(usage?.cpuPercent ?? 0),
        memoryBytes: usage?.memoryBytes ?? 0,
        restarts: replica.restarts,
        uptimeSeconds: replica.alive && replica.startTime !== undefined ? (time - replica.startTime) / 1000 : 0,
        proxyConnections: traffic.connections,
        proxyActiveConnections: traffic.activeConnections,
        proxyBytesIn: traffic.bytesIn,
        proxyBytesOut: traffic.bytesOut,
        proxyConnectionsPerSecond: round(rates.connectionsPerSecond),
        proxyBytesInPerSecond: Math.round(rates.bytesInPerSecond),
        proxyBytesOutPerSecond: Math.round(rates.bytesOutPerSecond),
        ready: replica.ready ? 1 : 0,
        readinessFailures: replica.probeFailures?.readiness ?? 0,
        livenessFailures: replica.probeFailures?.liveness ?? 0,
      }
      sample.replicas.push(figures)
      this.remember(figures, time)
    }
    this.rates.endTurn()
    // a reading asked for after stop() (a last metrics request) keeps no file open behind it
    if (this.stopped && this.timer === undefined) this.processMeter.close?.()
    // a replica scaled away takes its history with it
    for (const name of this.history.keys()) if (!seen.has(name)) this.history.delete(name)
    this.last = sample
    return sample
  }

  private remember(figures: ReplicaMetrics, time: number): void {
    let kept = this.history.get(figures.replica)
    if (!kept) {
      // the most readings the window can hold at the fast pace
      kept = { service: figures.service, ring: new HistoryRing(Math.ceil(this.historyMs / this.intervalMs) + 1) }
      this.history.set(figures.replica, kept)
    }
    kept.ring.push(time, figures.cpuPercent, figures.memoryBytes, figures.proxyBytesInPerSecond + figures.proxyBytesOutPerSecond)
  }
}

function onlyService(sample: ResourceSample, service: string): ResourceSample {
  return { time: sample.time, replicas: sample.replicas.filter((r) => r.service === service), bindings: sample.bindings.filter((b) => b.service === service) }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
