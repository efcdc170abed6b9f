// A service's place in the start order: what it depends on, what it is waiting for (and why),
// or that it was not started at all.
import type { ServiceStatus } from '../../src-shared/status'

export function DependsOn({ service }: { service: ServiceStatus }) {
  if (!service.dependsOn || service.dependsOn.length === 0) return null
  return (
    <span className="depends-on" data-testid="depends-on">
      depends on{' '}
      {service.dependsOn.map((d, i) => (
        <span key={d.service}>
          {i > 0 && ', '}
          <span className="mono">{d.service}</span> <span className="muted">({d.condition})</span>
        </span>
      ))}
    </span>
  )
}

export function StartOrderNote({ service }: { service: ServiceStatus }) {
  if (service.state === 'waiting' && service.message) {
    return (
      <p className="start-note waiting" role="status" data-testid="service-waiting">
        <span className="hourglass" aria-hidden="true" />
        {service.message}
      </p>
    )
  }
  if (service.notStarted !== undefined) {
    return (
      <p className="start-note not-started" data-testid="service-not-started">
        Not started: {service.notStarted}. Start it when you need it.
      </p>
    )
  }
  return null
}

/** the card shows these itself, so the generic message line stays quiet */
export function saysStartOrder(service: ServiceStatus): boolean {
  return (service.state === 'waiting' && service.message !== undefined) || service.notStarted !== undefined
}
