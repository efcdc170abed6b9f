// A service's replicas: what each is doing right now, and a restart for each.
import type { ReplicaStatus } from '../../src-shared/status'
import { formatDuration, processIdOf, replicaTone, uptimeOf } from '../format'
import { useClient } from './client-context'
import { RestartIcon } from './icons'
import { ReplicaHealthBadge } from './ReplicaHealthBadge'
import { ResourceCells, ResourceHeaders, useSortedReplicas } from './ResourceCells'
import type { ActionState } from './use-action'
import { useNow } from './use-now'

interface Props {
  service: string
  replicas: ReplicaStatus[]
  /** the service is stopped: its replicas cannot be restarted one by one */
  stopped: boolean
  selected: string | undefined
  action: ActionState
  onSelect(replica: string): void
}

export function ReplicaTable({ service, replicas, stopped, selected, action, onSelect }: Props) {
  const now = useNow()
  const sorted = useSortedReplicas(service, replicas)
  if (replicas.length === 0) return <p className="no-replicas">No replicas</p>
  return (
    <table className="replicas">
      <colgroup>
        <col className="col-name" />
        <col className="col-state" />
        <col className="col-pid" />
        <col className="col-port" />
        <col className="col-restarts" />
        <col className="col-uptime" />
        <col className="col-exit" />
        <col className="col-cpu" />
        <col className="col-memory" />
        <col className="col-traffic" />
        <col className="col-actions" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Replica</th>
          <th scope="col">State</th>
          <th scope="col">PID</th>
          <th scope="col">Port</th>
          <th scope="col" className="num">Restarts</th>
          <th scope="col">Uptime</th>
          <th scope="col">Exit</th>
          <ResourceHeaders service={service} />
          <th scope="col">
            <span className="offscreen">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((replica) => (
          <ReplicaRow key={replica.name} replica={replica} now={now} stopped={stopped} selected={replica.name === selected} action={action} onSelect={onSelect} />
        ))}
      </tbody>
    </table>
  )
}

function ReplicaRow({ replica, now, stopped, selected, action, onSelect }: { replica: ReplicaStatus; now: number; stopped: boolean; selected: boolean; action: ActionState; onSelect(replica: string): void }) {
  const client = useClient()
  const key = `replica:${replica.name}`
  const retryIn = replica.state === 'backoff' && replica.nextRetryAt !== undefined ? formatDuration(Math.max(0, replica.nextRetryAt - now) + 999) : undefined
  return (
    <tr
      className={selected ? 'selected' : undefined}
      aria-current={selected ? 'true' : undefined}
      tabIndex={0}
      data-replica={replica.name}
      onClick={() => onSelect(replica.name)}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return
        if (e.key === 'Enter') onSelect(replica.name)
        // Up and Down walk the replicas of every service, top to bottom
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault()
          const rows = [...document.querySelectorAll<HTMLElement>('tr[data-replica]')]
          rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus()
        }
      }}
    >
      <td className="mono replica-name">{replica.name}</td>
      <td>
        <span className={`state tone-${replicaTone(replica.state)}`} title={replica.message}>
          <span className="dot" />
          {replica.state}
        </span>
        <ReplicaHealthBadge replica={replica} />
        {retryIn ? (
          <span className="replica-message">retry in {retryIn}</span>
        ) : (
          replica.message && (replica.state === 'crashed' || replica.state === 'failed' || replica.state === 'running') && <span className="replica-message">{replica.message}</span>
        )}
      </td>
      <td className="mono" data-column="pid">{processIdOf(replica) ?? '—'}</td>
      <td className="mono">{replica.ports.length > 0 ? replica.ports.join(', ') : '—'}</td>
      <td className="mono num">{replica.restarts}</td>
      <td className="mono">{uptimeOf(replica, now) ?? '—'}</td>
      <td className={`mono ${replica.exitCode !== null && replica.exitCode !== 0 ? 'exit-bad' : ''}`}>{replica.exitCode ?? '—'}</td>
      <ResourceCells replica={replica.name} />
      <td className="row-actions">
        <button
          type="button"
          className="icon-button small"
          aria-label={`Restart replica ${replica.name}`}
          aria-busy={action.pending === key}
          title={stopped ? 'The service is stopped: start it first' : `Restart replica ${replica.name}`}
          disabled={action.pending !== undefined || stopped}
          onClick={(e) => {
            e.stopPropagation()
            void action.run(key, `Could not restart ${replica.name}`, () => client.restartReplica({ replica: replica.name }))
          }}
        >
          <RestartIcon className={action.pending === key ? 'spin' : undefined} />
        </button>
      </td>
    </tr>
  )
}
