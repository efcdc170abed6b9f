// A service's overall state, from its replicas' states: what the dashboard colours by.
import type { ReplicaState, ServiceState } from '../../src-shared/status'

export function serviceState(options: { external: boolean; stopped: boolean; desired: number; replicaStates: ReplicaState[] }): ServiceState {
  const { replicaStates } = options
  if (options.external) return 'external'
  if (options.stopped || options.desired === 0) return 'stopped'
  const count = (state: ReplicaState): number => replicaStates.filter((s) => s === state).length
  if (replicaStates.length > 0 && count('failed') === replicaStates.length) return 'failed'
  if (count('ready') === options.desired && replicaStates.length === options.desired) return 'running'
  if (replicaStates.length > 0 && replicaStates.every((s) => s === 'stopped')) return 'stopped'
  // a replica that exited (even cleanly) while its service should run leaves it short
  if (replicaStates.some((s) => s === 'crashed' || s === 'backoff' || s === 'failed' || s === 'stopped')) return 'degraded'
  return 'starting'
}
