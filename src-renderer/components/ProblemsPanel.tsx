// Configuration errors, each pointing at the place to edit (file:line:col).
import type { ConfigProblem } from '../../src-shared/problems'
import { useClient } from './client-context'
import { AlertIcon, RestartIcon } from './icons'
import { useAction } from './use-action'

export function ProblemsPanel({ problems }: { problems: ConfigProblem[] }) {
  const client = useClient()
  const action = useAction()
  const file = problems[0]?.file ?? 'app.yaml'
  return (
    <section className="problems" role="alert" aria-labelledby="problems-title">
      <header>
        <AlertIcon className="problems-icon" />
        <h2 id="problems-title">
          {file} has {problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was started
        </h2>
        <button
          type="button"
          className="button"
          disabled={action.pending !== undefined}
          onClick={() => void action.run('reload', 'Reload failed', () => client.reloadApplication({}))}
        >
          <RestartIcon /> {action.pending ? 'Reloading…' : 'Reload'}
        </button>
      </header>
      <ol className="problem-list">
        {problems.map((p, i) => (
          <li key={i}>
            <span className="problem-where mono">
              {p.file}:{p.line}:{p.col}
            </span>
            <span className="problem-message">{p.message}</span>
          </li>
        ))}
      </ol>
      {action.error && <p className="inline-error">{action.error}</p>}
    </section>
  )
}
