// The terminal of one log tab, and the tools that act on it. The terminal is created once per
// tab; lines reach it from the log feed without passing through React.
import { useEffect, useRef, useState } from 'react'
import { useClient } from './client-context'
import { useDashboard } from '../state/store'
import { LogTerminal } from '../terminal/log-terminal'
import { openLogFeed } from '../logs/log-feed'
import { copyText, downloadText } from '../clipboard'
import { ChevronDownIcon, ChevronUpIcon, ClearIcon, CopyIcon, DownloadIcon, FollowIcon, PauseIcon, SearchIcon, CheckIcon } from './icons'

interface Props {
  service: string
  /** undefined: every replica of the service */
  replica: string | undefined
}

export function LogView({ service, replica }: Props) {
  const client = useClient()
  const host = useRef<HTMLDivElement>(null)
  const terminal = useRef<LogTerminal | null>(null)
  const [following, setFollowing] = useState(true)
  const [query, setQuery] = useState('')
  const [matches, setMatches] = useState<{ index: number; count: number }>()
  const [copied, setCopied] = useState(false)
  const [failure, setFailure] = useState<string>()

  useEffect(() => {
    const element = host.current
    if (!element) return
    let term: LogTerminal | undefined
    let close: (() => void) | undefined
    // React runs this effect in the same task as the click that chose the tab; building the
    // terminal a task later lets the tab show as chosen at once
    const timer = setTimeout(() => {
      term = new LogTerminal(element, {
        prefixReplica: replica === undefined,
        ordinalOf: (name) => useDashboard.getState().services.byName[service]?.replicaStatuses.find((r) => r.name === name)?.ordinal,
        onFollowChange: setFollowing,
        onSearchResults: (index, count) => setMatches({ index, count }),
      })
      terminal.current = term
      const shown = term
      close = openLogFeed(client, service, replica, {
        lines: (lines) => shown.append(lines),
        dropped: (from, count) => shown.notice(`… ${count} lines from ${from} dropped (the log was written faster than it could be kept)`),
        failed: (message) => setFailure(message),
      })
    }, 0)
    return () => {
      clearTimeout(timer)
      close?.()
      terminal.current = null
      term?.dispose()
    }
  }, [client, service, replica])

  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 1400)
    return () => clearTimeout(timer)
  }, [copied])

  const find = (direction: 'next' | 'previous'): void => {
    if (!query) return
    if (direction === 'next') terminal.current?.findNext(query)
    else terminal.current?.findPrevious(query)
  }
  const label = replica ?? `all replicas of ${service}`
  const fileName = `${replica ?? service}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`

  return (
    <div className="log-view">
      <div className="log-toolbar" role="toolbar" aria-label={`Log tools for ${label}`}>
        <div className="search">
          <SearchIcon className="search-icon" />
          <input
            type="search"
            className="search-field"
            placeholder="Search logs"
            aria-label="Search logs"
            data-shortcut="search"
            value={query}
            onChange={(e) => {
              const value = e.target.value
              setQuery(value)
              if (value) terminal.current?.findNext(value, true)
              else {
                terminal.current?.clearSearch()
                setMatches(undefined)
              }
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(e.shiftKey ? 'previous' : 'next')
              if (e.key === 'Escape') {
                setQuery('')
                setMatches(undefined)
                terminal.current?.clearSearch()
              }
            }}
          />
          {query && matches && (
            <span className="match-count" aria-live="polite">
              {matches.count === 0 ? 'No matches' : `${matches.index + 1} of ${matches.count}`}
            </span>
          )}
        </div>
        <button type="button" className="icon-button" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={!query} onClick={() => find('previous')}>
          <ChevronUpIcon />
        </button>
        <button type="button" className="icon-button" aria-label="Next match" title="Next match (Enter)" disabled={!query} onClick={() => find('next')}>
          <ChevronDownIcon />
        </button>
        <span className="toolbar-divider" />
        <button
          type="button"
          className={`toggle${following ? ' on' : ''}`}
          aria-pressed={following}
          aria-label={following ? 'Following new lines' : 'Paused: follow new lines'}
          title={following ? 'Following new lines (scroll up to pause)' : 'Paused: jump to the newest line and follow'}
          onClick={() => terminal.current?.follow()}
        >
          {following ? <FollowIcon /> : <PauseIcon />}
          {following ? 'Following' : 'Paused'}
        </button>
        <button type="button" className="icon-button" aria-label="Clear log" title="Clear (new lines keep coming)" onClick={() => terminal.current?.clear()}>
          <ClearIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Copy log"
          title="Copy the log as text"
          onClick={() => void copyText(terminal.current?.text() ?? '').then(() => setCopied(true))}
        >
          {copied ? <CheckIcon className="ok" /> : <CopyIcon />}
        </button>
        <button type="button" className="icon-button" aria-label="Download log" title="Download the log as a file" onClick={() => downloadText(fileName, terminal.current?.text() ?? '')}>
          <DownloadIcon />
        </button>
      </div>
      {failure && (
        <p className="inline-error" role="alert">
          Could not load the log of {label}: {failure}
        </p>
      )}
      <div className="terminal-host" ref={host} role="log" aria-label={`Log of ${label}`} data-log={replica ?? 'all'} />
    </div>
  )
}
