// Reload app.yaml after editing it: stops what runs, reads the file again and starts it.
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
        title="Stop the application, read app.yaml again and start it"
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
