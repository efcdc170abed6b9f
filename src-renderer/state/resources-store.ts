// The latest resource reading and a short history per replica, for the table's columns and
// sparklines. Readings are status (a few numbers a second), so they live in a store; the full
// 15 minutes stay on the server.
import { create } from 'zustand'
import type { BindingTraffic, ReplicaHistory, ReplicaMetrics, ResourceSample, ResourcesView } from '../../src-shared/resources'

/** points a sparkline draws: five minutes at one reading a second */
export const SPARK_POINTS = 300

export interface Trend {
  cpu: number[]
  memory: number[]
}

export type SortKey = 'replica' | 'cpu' | 'memory' | 'traffic'

export interface ResourcesState {
  latest: Record<string, ReplicaMetrics>
  /** by `${service}:${port}` */
  bindings: Record<string, BindingTraffic>
  trends: Record<string, Trend>
  /** per service: how its replica table is sorted */
  sort: Record<string, { key: SortKey; descending: boolean }>
  load(view: ResourcesView): void
  add(sample: ResourceSample): void
  sortBy(service: string, key: SortKey): void
}

export function bindingKey(service: string, port: number): string {
  return `${service}:${port}`
}

function trendFrom(history: ReplicaHistory): Trend {
  return { cpu: history.cpuPercent.slice(-SPARK_POINTS), memory: history.memoryBytes.slice(-SPARK_POINTS) }
}

function push(values: number[], value: number): number[] {
  const next = values.length >= SPARK_POINTS ? values.slice(values.length - SPARK_POINTS + 1) : values.slice()
  next.push(value)
  return next
}

export const useResources = create<ResourcesState>()((set) => ({
  latest: {},
  bindings: {},
  trends: {},
  sort: {},
  load: (view) =>
    set(() => ({
      latest: Object.fromEntries((view.latest?.replicas ?? []).map((r) => [r.replica, r])),
      bindings: Object.fromEntries((view.latest?.bindings ?? []).map((b) => [bindingKey(b.service, b.port), b])),
      trends: Object.fromEntries(view.history.map((h) => [h.replica, trendFrom(h)])),
    })),
  add: (sample) =>
    set((state) => {
      const trends: Record<string, Trend> = {}
      for (const r of sample.replicas) {
        const before = state.trends[r.replica] ?? { cpu: [], memory: [] }
        trends[r.replica] = { cpu: push(before.cpu, r.cpuPercent), memory: push(before.memory, r.memoryBytes) }
      }
      return {
        latest: Object.fromEntries(sample.replicas.map((r) => [r.replica, r])),
        bindings: Object.fromEntries(sample.bindings.map((b) => [bindingKey(b.service, b.port), b])),
        trends,
      }
    }),
  sortBy: (service, key) =>
    set((state) => {
      const current = state.sort[service]
      // a second click on the same column turns it around; figures sort largest first
      const descending = current?.key === key ? !current.descending : key !== 'replica'
      return { sort: { ...state.sort, [service]: { key, descending } } }
    }),
}))
