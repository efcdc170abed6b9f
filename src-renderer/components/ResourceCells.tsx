// A replica's CPU, memory and traffic in its table row, with the header cells that sort by
// them, and a service's totals for its card.
import { useShallow } from 'zustand/react/shallow'
import type { ReplicaStatus } from '../../src-shared/status'
import { formatBytes, formatPercent, formatRate } from '../resource-format'
import { useResources, type SortKey } from '../state/resources-store'
import { Sparkline } from './Sparkline'

export function ResourceCells({ replica }: { replica: string }) {
  const figures = useResources((s) => s.latest[replica])
  const trend = useResources((s) => s.trends[replica])
  if (!figures) {
    return (
      <>
        <td className="mono figure muted" data-column="cpu">—</td>
        <td className="mono figure muted" data-column="memory">—</td>
        <td className="mono figure muted" data-column="traffic">—</td>
      </>
    )
  }
  const rate = figures.proxyBytesInPerSecond + figures.proxyBytesOutPerSecond
  return (
    <>
      <td className="mono figure stacked" data-column="cpu" title={`CPU: ${formatPercent(figures.cpuPercent)} of one core`}>
        <span>{formatPercent(figures.cpuPercent)}</span>
        <Sparkline values={trend?.cpu ?? []} label={`CPU of ${replica} over the last minutes`} max={100} />
      </td>
      <td className="mono figure stacked" data-column="memory" title={`Memory: ${formatBytes(figures.memoryBytes)} resident`}>
        <span>{formatBytes(figures.memoryBytes)}</span>
        <Sparkline values={trend?.memory ?? []} label={`Memory of ${replica} over the last minutes`} />
      </td>
      <td
        className="mono figure stacked"
        data-column="traffic"
        title={`${figures.proxyActiveConnections} open, ${figures.proxyConnections} in all; ${formatBytes(figures.proxyBytesIn)} in, ${formatBytes(figures.proxyBytesOut)} out; ${formatRate(rate)} now`}
      >
        {figures.proxyConnections === 0 ? (
          '—'
        ) : (
          <>
            <span>
              {figures.proxyActiveConnections}/{figures.proxyConnections}
            </span>
            <span className="sub">{formatRate(rate)}</span>
          </>
        )}
      </td>
    </>
  )
}

const SORTABLE: { key: SortKey; label: string; title: string }[] = [
  { key: 'cpu', label: 'CPU', title: 'CPU, percent of one core, with its last minutes' },
  { key: 'memory', label: 'Memory', title: 'Resident memory, with its last minutes' },
  { key: 'traffic', label: 'Conns', title: 'Proxied connections open / in all, and bytes per second both ways' },
]

export function ResourceHeaders({ service }: { service: string }) {
  const sort = useResources((s) => s.sort[service])
  const sortBy = useResources((s) => s.sortBy)
  return (
    <>
      {SORTABLE.map(({ key, label, title }) => {
        const active = sort?.key === key
        return (
          <th key={key} scope="col" className="num" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
            <button type="button" className="sort-button" title={`${title}. Sort by it`} onClick={() => sortBy(service, key)}>
              {label}
              {active && <span aria-hidden="true">{sort.descending ? ' ↓' : ' ↑'}</span>}
            </button>
          </th>
        )
      })}
    </>
  )
}

/** the replicas in the order the user asked for (their own order when nothing was asked) */
export function useSortedReplicas(service: string, replicas: ReplicaStatus[]): ReplicaStatus[] {
  const sort = useResources((s) => s.sort[service])
  const figures = useResources(useShallow((s) => (sort && sort.key !== 'replica' ? replicas.map((r) => s.latest[r.name]) : [])))
  if (!sort || sort.key === 'replica') return replicas
  const value = (i: number): number => {
    const f = figures[i]
    if (!f) return -1
    if (sort.key === 'cpu') return f.cpuPercent
    if (sort.key === 'memory') return f.memoryBytes
    return f.proxyBytesInPerSecond + f.proxyBytesOutPerSecond + f.proxyActiveConnections
  }
  const order = replicas.map((r, i) => ({ r, v: value(i), i }))
  order.sort((a, b) => (sort.descending ? b.v - a.v : a.v - b.v) || a.i - b.i)
  return order.map((o) => o.r)
}

export function ServiceTotals({ service }: { service: string }) {
  const totals = useResources(
    useShallow((s) => {
      let cpu = 0
      let memory = 0
      let seen = 0
      for (const f of Object.values(s.latest)) {
        if (f.service !== service) continue
        cpu += f.cpuPercent
        memory += f.memoryBytes
        seen++
      }
      return [seen, Math.round(cpu * 10) / 10, memory] as const
    }),
  )
  if (totals[0] === 0) return null
  return (
    <span className="service-totals mono" data-testid="service-totals" title="All replicas together">
      {formatPercent(totals[1])} CPU · {formatBytes(totals[2])}
    </span>
  )
}

export function BindingTrafficLabel({ service, port }: { service: string; port: number }) {
  const traffic = useResources((s) => s.bindings[`${service}:${port}`])
  if (!traffic || traffic.connections === 0) return null
  return (
    <span
      className="binding-traffic"
      title={`${traffic.activeConnections} open, ${traffic.connections} in all, ${traffic.connectionsPerSecond.toFixed(1)}/s; ${formatBytes(traffic.bytesIn)} in, ${formatBytes(traffic.bytesOut)} out`}
    >
      {traffic.activeConnections}/{traffic.connections} conns · {formatRate(traffic.bytesInPerSecond + traffic.bytesOutPerSecond)}
    </span>
  )
}
