// One log for the whole application: every replica of every service merged in time order,
// filtered by service and replica, searched by text or pattern, errors and warnings coloured,
// timestamps on request. Lines go from the log feed to the terminal, never through React.
import { useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { openAppLogFeed, type AppLogFilter } from '../logs/app-log-feed'
import { useDashboard } from '../state/store'
import { LogTerminal } from '../terminal/log-terminal'
import { useClient } from './client-context'
import { ChevronDownIcon, ChevronUpIcon, FollowIcon, PauseIcon, SearchIcon } from './icons'

export function AppLogs() {
  const client = useClient()
  const services = useDashboard(useShallow((s) => s.services.order.filter((name) => s.services.byName[name]?.kind !== 'external')))
  const [service, setService] = useState<string>('')
  const replicas = useDashboard(useShallow((s) => (service ? (s.services.byName[service]?.replicaStatuses ?? []).map((r) => r.name) : [])))
  const [replica, setReplica] = useState<string>('')
  const [timestamps, setTimestamps] = useState(false)
  const [query, setQuery] = useState('')
  const [regex, setRegex] = useState(false)
  const [matches, setMatches] = useState<{ index: number; count: number }>()
  const [badPattern, setBadPattern] = useState<string>()
  const [following, setFollowing] = useState(true)
  const [failure, setFailure] = useState<string>()
  const host = useRef<HTMLDivElement>(null)
  const terminal = useRef<LogTerminal | null>(null)
  const serviceList = services.join('\n')

  // a replica scaled away (or of another service) leaves the filter
  const chosenReplica = replica && replicas.includes(replica) ? replica : ''

  useEffect(() => {
    const element = host.current
    if (!element) return
    const filter: AppLogFilter = {}
    if (service) filter.service = service
    if (chosenReplica) filter.replica = chosenReplica
    setFailure(undefined)
    const term = new LogTerminal(element, {
      prefixReplica: true,
      timestamps,
      highlight: true,
      onFollowChange: setFollowing,
      onSearchResults: (index, count) => setMatches({ index, count }),
    })
    terminal.current = term
    const close = openAppLogFeed(client, serviceList ? serviceList.split('\n') : [], filter, {
      lines: (lines) => term.append(lines),
      dropped: (from, count) => term.notice(`… ${count} lines from ${from} dropped (the log was written faster than it could be kept)`),
      failed: (message) => setFailure(message),
    })
    return () => {
      close()
      terminal.current = null
      term.dispose()
    }
  }, [client, serviceList, service, chosenReplica, timestamps])

  const search = (direction: 'next' | 'previous' | 'first', term = query, asRegex = regex): void => {
    const t = terminal.current
    if (!t) return
    if (!term) {
      t.clearSearch()
      setMatches(undefined)
      setBadPattern(undefined)
      return
    }
    if (asRegex) {
      try {
        new RegExp(term)
      } catch (err) {
        setBadPattern(err instanceof Error ? err.message : String(err))
        return
      }
    }
    setBadPattern(undefined)
    if (direction === 'previous') t.findPrevious(term, asRegex)
    else t.findNext(term, direction === 'first', asRegex)
  }

  return (
    <section className="app-logs" aria-labelledby="app-logs-title">
      <header className="log-panel-head">
        <h2 id="app-logs-title">Application log</h2>
      </header>
      <div className="log-toolbar" role="toolbar" aria-label="Application log tools">
        <label className="filter">
          <span className="offscreen">Service</span>
          <select aria-label="Service" value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">All services</option>
            {services.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="offscreen">Replica</span>
          <select aria-label="Replica" value={chosenReplica} disabled={!service} onChange={(e) => setReplica(e.target.value)}>
            <option value="">All replicas</option>
            {replicas.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <div className="search">
          <SearchIcon className="search-icon" />
          <input
            type="search"
            className="search-field"
            placeholder={regex ? 'Search (regular expression)' : 'Search'}
            aria-label="Search the application log"
            aria-invalid={badPattern !== undefined}
            data-shortcut="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              search('first', e.target.value)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') search(e.shiftKey ? 'previous' : 'next')
              if (e.key === 'Escape') {
                setQuery('')
                search('first', '')
              }
            }}
          />
          {badPattern ? (
            <span className="match-count bad" role="status">
              Invalid pattern
            </span>
          ) : (
            query &&
            matches && (
              <span className="match-count" aria-live="polite">
                {matches.count === 0 ? 'No matches' : `${matches.index + 1} of ${matches.count}`}
              </span>
            )
          )}
        </div>
        <button
          type="button"
          className={`toggle${regex ? ' on' : ''}`}
          aria-pressed={regex}
          title="Search with a regular expression"
          onClick={() => {
            setRegex(!regex)
            search('first', query, !regex)
          }}
        >
          .*
        </button>
        <button type="button" className="icon-button" aria-label="Previous match" disabled={!query} onClick={() => search('previous')}>
          <ChevronUpIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Next match" disabled={!query} onClick={() => search('next')}>
          <ChevronDownIcon />
        </button>
        <span className="toolbar-divider" />
        <button type="button" className={`toggle${timestamps ? ' on' : ''}`} aria-pressed={timestamps} title="Show when each line was read" onClick={() => setTimestamps(!timestamps)}>
          Timestamps
        </button>
        <button type="button" className={`toggle${following ? ' on' : ''}`} aria-pressed={following} aria-label={following ? 'Following new lines' : 'Paused: follow new lines'} onClick={() => terminal.current?.follow()}>
          {following ? <FollowIcon /> : <PauseIcon />}
          {following ? 'Following' : 'Paused'}
        </button>
      </div>
      {failure && (
        <p className="inline-error" role="alert">
          Could not load the application log: {failure}
        </p>
      )}
      <div className="terminal-host" ref={host} role="log" aria-label="Application log" data-log="application" />
    </section>
  )
}
