// How status events change the dashboard's picture of the application. Pure, so the same
// reasoning holds whichever transport carried the event.
import type { MicronetesEvent } from '../../src-shared/events'
import type { ReplicaStatus, ServiceStatus } from '../../src-shared/status'

export interface ServicesView {
  /** in the order the application lists them */
  order: string[]
  byName: Record<string, ServiceStatus>
}

export const emptyServices: ServicesView = { order: [], byName: {} }

export function servicesFrom(list: ServiceStatus[]): ServicesView {
  return { order: list.map((s) => s.name), byName: Object.fromEntries(list.map((s) => [s.name, s])) }
}

/** the new view, or the same object when the event does not touch status */
export function applyStatusEvent(view: ServicesView, event: MicronetesEvent): ServicesView {
  switch (event.type) {
    case 'service': {
      const service = event.service
      const order = view.byName[service.name] ? view.order : [...view.order, service.name]
      return { order, byName: { ...view.byName, [service.name]: service } }
    }
    case 'replica':
      return updateReplicas(view, event.replica.service, (replicas) => upsertReplica(replicas, event.replica))
    case 'replica-removed':
      return updateReplicas(view, event.service, (replicas) => replicas.filter((r) => r.name !== event.replica))
    case 'service-removed': {
      if (!view.byName[event.service]) return view
      const byName = { ...view.byName }
      delete byName[event.service]
      return { order: view.order.filter((name) => name !== event.service), byName }
    }
    default:
      return view
  }
}

function updateReplicas(view: ServicesView, serviceName: string, change: (replicas: ReplicaStatus[]) => ReplicaStatus[]): ServicesView {
  const service = view.byName[serviceName]
  // a replica of a service we have not heard of yet: the next 'service' event brings both
  if (!service) return view
  return { ...view, byName: { ...view.byName, [serviceName]: { ...service, replicaStatuses: change(service.replicaStatuses) } } }
}

function upsertReplica(replicas: ReplicaStatus[], replica: ReplicaStatus): ReplicaStatus[] {
  const index = replicas.findIndex((r) => r.name === replica.name)
  if (index === -1) return [...replicas, replica].sort(byReplicaNumber)
  const next = replicas.slice()
  next[index] = replica
  return next
}

/** web_3f9a1c2b-2 before web_3f9a1c2b-10 */
export function byReplicaNumber(a: ReplicaStatus, b: ReplicaStatus): number {
  return a.ordinal - b.ordinal || a.name.localeCompare(b.name)
}
