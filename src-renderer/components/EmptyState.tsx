// Nothing open: how to open something (desktop) or start something (browser).
import type { SessionInfo } from '../../src-shared/contract'
import { useClient } from './client-context'
import { FileIcon } from './icons'
import { useAction } from './use-action'

export function EmptyState({ session }: { session: SessionInfo | undefined }) {
  const client = useClient()
  const action = useAction()
  if (!session) {
    return (
      <div className="empty" role="status">
        <p className="empty-lead">Connecting to Micronetes…</p>
      </div>
    )
  }
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No application running</h2>
      {session.desktop ? (
        <>
          <p className="empty-lead">Open an app.yaml to run its services, replicas and proxies on this machine.</p>
          <button
            type="button"
            className="button primary"
            disabled={action.pending !== undefined}
            onClick={() => void action.run('open', 'Could not open the file', () => client.openApplication({}))}
          >
            <FileIcon /> Open app.yaml
          </button>
          {session.recentFiles.length > 0 && (
            <nav className="recent" aria-label="Recent files">
              <h3>Recent</h3>
              <ul>
                {session.recentFiles.map((path) => (
                  <li key={path}>
                    <button
                      type="button"
                      className="link-button mono"
                      onClick={() => void action.run(path, `Could not open ${path}`, () => client.openApplication({ path }))}
                    >
                      {path}
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </>
      ) : (
        <p className="empty-lead">
          Start one with <code className="mono">micronetes run app.yaml</code>.
        </p>
      )}
      {action.error && (
        <p className="inline-error" role="alert">
          {action.error}
        </p>
      )}
    </section>
  )
}
