// The frame: which application, where it came from, and how to reach its API.
import type { SessionInfo } from '../../src-shared/contract'
import { CopyButton } from './copy-button'
import { ReloadButton } from './ReloadButton'

const stateWords: Record<SessionInfo['state'], string> = {
  empty: 'No application',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  error: 'Configuration error',
}

const stateTones: Record<SessionInfo['state'], string> = {
  empty: 'idle',
  starting: 'busy',
  running: 'good',
  stopping: 'busy',
  error: 'bad',
}

export function Header({ session, connected }: { session: SessionInfo | undefined; connected: boolean }) {
  const app = session?.application
  const api = session?.apiUrl
  const curl = api ? `curl -s ${api}/api/v1/services` : undefined
  return (
    <header className="frame">
      <div className="brand" aria-hidden="true">
        <svg viewBox="0 0 20 20" width="20" height="20">
          <path d="M10 1.5 17.5 5.75v8.5L10 18.5 2.5 14.25v-8.5z" className="brand-hex" />
          <circle cx="10" cy="7" r="1.6" className="brand-dot" />
          <circle cx="6.75" cy="12" r="1.6" className="brand-dot" />
          <circle cx="13.25" cy="12" r="1.6" className="brand-dot" />
        </svg>
      </div>
      <div className="app-title">
        <h1>{app?.name ?? 'Micronetes'}</h1>
        {app && (
          <span className="app-path" title={app.source}>
            {/* the container runs right-to-left so a long path loses its start, not its file name */}
            <bdi>{app.source}</bdi>
          </span>
        )}
      </div>
      {session && (
        <span className={`pill tone-${connected ? stateTones[session.state] : 'warn'}`} role="status">
          <span className="dot" />
          {connected ? stateWords[session.state] : 'Reconnecting…'}
        </span>
      )}
      {session?.proxyFallback && (
        <span className="pill tone-warn proxy-note" title={`${session.proxyFallback}; the proxies run on Node threads instead`}>
          Proxies on Node threads
        </span>
      )}
      {session?.spawnFallback && (
        <span className="pill tone-warn spawn-note" title={`${session.spawnFallback}; replicas are started by Node's spawn() instead, which is slower when many start at once`}>
          Replicas started by Node
        </span>
      )}
      <div className="frame-spacer" />
      {session && (session.application || session.state === 'error') && <ReloadButton />}
      {api && curl && (
        <div className="api" aria-label="Control API">
          <span className="api-label">API</span>
          <a className="api-url mono" href={`${api}/api/v1`} target="_blank" rel="noreferrer">
            {api}
          </a>
          <CopyButton text={api} label="Copy API URL" />
          <span className="curl-group">
            <code className="curl mono" title={curl}>
              {curl}
            </code>
            <CopyButton text={curl} label="Copy curl command" />
          </span>
        </div>
      )}
    </header>
  )
}
