// Reload app.yaml after editing it: reads the file again and applies what changed (an
// application that is not running is started afresh).
import { useClient } from './client-context'
import { RestartIcon } from './icons'
import { useAction } from './use-action'

export function ReloadButton() {
  const client = useClient()
  const action = useAction()
  return (
    <>
      <button
        type="button"
        className="button"
        title="Read app.yaml again and apply what changed; the rest keeps running"
        disabled={action.pending !== undefined}
        onClick={() => void action.run('reload', 'Reload failed', () => client.reloadApplication({}))}
      >
        <RestartIcon className={action.pending ? 'spin' : undefined} />
        Reload app.yaml
      </button>
      {action.error && (
        <span className="frame-error" role="alert">
          {action.error}
        </span>
      )}
    </>
  )
}
