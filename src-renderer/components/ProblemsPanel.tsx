// Why nothing runs: configuration errors, each pointing at the place to edit (file:line:col),
// or the reason a start failed (a port taken).
import type { ConfigProblem } from '../../src-shared/problems'
import { AlertIcon } from './icons'

export function ProblemsPanel({ problems, message }: { problems: ConfigProblem[]; message: string | undefined }) {
  const file = problems[0]?.file ?? 'app.yaml'
  return (
    <section className="problems" role="alert" aria-labelledby="problems-title">
      <header>
        <AlertIcon className="problems-icon" />
        <h2 id="problems-title">
          {problems.length === 0
            ? (message ?? 'The application could not start')
            : `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was started`}
        </h2>
      </header>
      {problems.length > 0 && (
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
      )}
      <p className="problems-hint">Fix it, then press Reload app.yaml.</p>
    </section>
  )
}
