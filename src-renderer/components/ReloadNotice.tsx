// What the last reload of app.yaml did, above the services: a broken edit's problems (the
// application keeps running as it was), a part that could not be applied, or the one-line
// summary of what changed.
import type { ReloadOutcome } from '../../src-shared/reload-outcome'
import { AlertIcon } from './icons'

export function ReloadNotice({ outcome, watching }: { outcome: ReloadOutcome; watching: boolean }) {
  const when = new Date(outcome.at).toLocaleTimeString()
  if (outcome.result === 'invalid') {
    return (
      <section className="problems reload-problems" role="alert" aria-labelledby="reload-title" data-reload={outcome.result}>
        <header>
          <AlertIcon className="problems-icon" />
          <h2 id="reload-title">{outcome.summary}</h2>
          <span className="reload-time">{when}</span>
        </header>
        <ol className="problem-list">
          {outcome.problems.map((p, i) => (
            <li key={i}>
              <span className="problem-where mono">
                {p.file}:{p.line}:{p.col}
              </span>
              <span className="problem-message">{p.message}</span>
            </li>
          ))}
        </ol>
        <p className="problems-hint">{watching ? 'Fix it and save: it is applied as soon as it is valid.' : 'Fix it, then press Reload app.yaml.'}</p>
      </section>
    )
  }
  return (
    <p className={`reload-summary ${outcome.result === 'failed' ? 'tone-bad' : ''}`} role="status" data-reload={outcome.result}>
      <span className="reload-time">{when}</span> {outcome.summary}
      {outcome.message && <span className="reload-message">: {outcome.message}</span>}
    </p>
  )
}
