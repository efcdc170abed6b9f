// What app.yaml may get wrong without stopping anything (a command not on PATH yet), each
// pointing at the place to edit, above whatever runs.
import type { ConfigProblem } from '../../src-shared/problems'

export function WarningsPanel({ warnings }: { warnings: ConfigProblem[] }) {
  return (
    <section className="warnings" role="status" aria-label="Warnings about app.yaml">
      <ol className="problem-list">
        {warnings.map((w, i) => (
          <li key={i}>
            <span className="problem-where mono">
              {w.file}:{w.line}:{w.col}
            </span>
            <span className="problem-message">warning: {w.message}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
