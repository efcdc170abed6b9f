// What a replica was started with: command line, working directory, environment. The
// environment is asked for when the details open (statuses do not carry it); a replica keeps
// the one it was created with, so it is asked once per replica.
import { useEffect, useMemo, useState } from 'react'
import type { ReplicaStatus } from '../../src-shared/status'
import { useClient } from './client-context'
import { isDiscoveryVariable } from '../../src-shared/discovery-names'
import { shellJoin } from '../format'
import { CopyButton } from './copy-button'
import { CloseIcon } from './icons'

export function ReplicaDetails({ replica, onClose }: { replica: ReplicaStatus; onClose(): void }) {
  const client = useClient()
  const [filter, setFilter] = useState('')
  const [loaded, setLoaded] = useState<{ replica: string; environment?: Record<string, string>; failure?: string }>()
  useEffect(() => {
    let current = true
    client.replica({ replica: replica.name }).then(
      (details) => current && setLoaded({ replica: replica.name, environment: details.environment }),
      (error: unknown) => current && setLoaded({ replica: replica.name, failure: error instanceof Error ? error.message : String(error) }),
    )
    return () => {
      current = false
    }
  }, [client, replica.name])
  const shown = loaded?.replica === replica.name ? loaded : undefined
  const commandLine = shellJoin(replica.commandLine)
  const environment = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    return Object.entries(shown?.environment ?? {})
      .filter(([name, value]) => !needle || name.toLowerCase().includes(needle) || value.toLowerCase().includes(needle))
      .sort(([a], [b]) => Number(isDiscoveryVariable(b)) - Number(isDiscoveryVariable(a)) || a.localeCompare(b))
  }, [shown?.environment, filter])
  const total = Object.keys(shown?.environment ?? {}).length
  const count = shown?.failure ? `not available: ${shown.failure}` : !shown ? 'loading…' : environment.length === total ? `${total} variables` : `${environment.length} of ${total}`

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
        <span className="muted">{count}</span>
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
