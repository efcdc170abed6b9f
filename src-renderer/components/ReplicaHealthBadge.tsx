// A replica's probes at a glance: healthy or unhealthy, with the last results and when.
import type { ProbeResult, ReplicaStatus } from '../../src-shared/status'

// Events come when a result turns (pass to fail or back), not on every check: the time shown is
// when the replica's health last changed, so it reads "since".
function line(probe: string, result: ProbeResult | undefined): string | undefined {
  if (!result) return undefined
  const at = new Date(result.at).toLocaleTimeString()
  return `${probe}: ${result.message} (since ${at}${result.failures > 0 ? `, ${result.failures} failed in a row` : ''})`
}

export function ReplicaHealthBadge({ replica }: { replica: ReplicaStatus }) {
  if (!replica.health) return null
  const title = [line('readiness', replica.readiness), line('liveness', replica.liveness)].filter(Boolean).join('\n')
  return (
    <span className={`health tone-${replica.health === 'healthy' ? 'good' : 'bad'}`} title={title} data-testid="replica-health">
      {replica.health}
    </span>
  )
}
