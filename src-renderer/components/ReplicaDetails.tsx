// What a replica was started with: command line, working directory, environment.
import { useMemo, useState } from 'react'
import type { ReplicaStatus } from '../../src-shared/status'
import { isDiscoveryVariable } from '../../src-shared/discovery-names'
import { shellJoin } from '../format'
import { CopyButton } from './copy-button'
import { CloseIcon } from './icons'

export function ReplicaDetails({ replica, onClose }: { replica: ReplicaStatus; onClose(): void }) {
  const [filter, setFilter] = useState('')
  const commandLine = shellJoin(replica.commandLine)
  const environment = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    return Object.entries(replica.environment)
      .filter(([name, value]) => !needle || name.toLowerCase().includes(needle) || value.toLowerCase().includes(needle))
      .sort(([a], [b]) => Number(isDiscoveryVariable(b)) - Number(isDiscoveryVariable(a)) || a.localeCompare(b))
  }, [replica.environment, filter])
  const total = Object.keys(replica.environment).length

  return (
    <section className="details" aria-labelledby="details-title">
      <header>
        <h3 id="details-title">
          Details of <span className="mono">{replica.name}</span>
        </h3>
        <button type="button" className="icon-button small" aria-label="Close details" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <dl className="facts">
        <dt>Command line</dt>
        <dd className="mono with-copy">
          <code>{commandLine || '—'}</code>
          {commandLine && <CopyButton text={commandLine} label="Copy command line" />}
        </dd>
        <dt>Working directory</dt>
        <dd className="mono">{replica.workingDirectory ?? '—'}</dd>
        {replica.containerId && (
          <>
            <dt>Container</dt>
            <dd className="mono">{replica.containerId}</dd>
          </>
        )}
      </dl>
      <div className="env-head">
        <h4>Environment</h4>
        <span className="muted">
          {environment.length === total ? `${total} variables` : `${environment.length} of ${total}`}
        </span>
        <input
          type="search"
          className="env-filter"
          placeholder="Filter"
          aria-label="Filter environment"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="env-scroll">
        <table className="env">
          <tbody>
            {environment.map(([name, value]) => (
              <tr key={name} className={isDiscoveryVariable(name) ? 'discovery' : undefined}>
                <th scope="row" className="mono">
                  {name}
                  {isDiscoveryVariable(name) && (
                    <span className="tag" title="Injected by Micronetes for service discovery">
                      discovery
                    </span>
                  )}
                </th>
                <td className="mono">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
