// What changed between the application that runs and the one app.yaml now describes, service
// by service, so that a reload touches only that: a pure function of two loaded Applications.
import type { Application, Binding, Service } from '../../../src-shared/app-model'

export interface ReplacedService {
  service: string
  /** the fields that changed (args, env, bindings, ...), and "discovery of X" when another service's bindings did */
  reasons: string[]
  /** replicas before and after, when the count changed too */
  from: number
  to: number
}

export interface ApplicationDifference {
  added: string[]
  /** in the order they should stop: dependents before what they depend on */
  removed: string[]
  replaced: ReplacedService[]
  /** only the replica count changed */
  scaled: { service: string; from: number; to: number }[]
  /** only the watch changed: no replica is touched */
  rewatched: string[]
  unchanged: string[]
}

/** fields whose change needs nothing restarted; replicas and bindings are compared on their own */
const NOT_REPLACING = new Set<keyof Service>(['name', 'replicas', 'watch', 'bindings'])

export function applicationDifference(running: Application, next: Application): ApplicationDifference {
  const before = new Map(running.services.map((s) => [s.name, s]))
  const after = new Map(next.services.map((s) => [s.name, s]))
  const difference: ApplicationDifference = { added: [], removed: [], replaced: [], scaled: [], rewatched: [], unchanged: [] }

  // services that stay and whose bindings change what the others are told about them
  const rediscovered = next.services.filter((s) => {
    const old = before.get(s.name)
    return old !== undefined && !same(s.bindings, old.bindings)
  }).map((s) => s.name)

  for (const service of next.services) {
    const old = before.get(service.name)
    if (!old) {
      difference.added.push(service.name)
      continue
    }
    const reasons = changedFields(old, service)
    // an external service is not run: nobody to tell
    if (service.kind !== 'external') for (const other of rediscovered) if (other !== service.name) reasons.push(`discovery of ${other}`)
    const from = old.kind === 'external' ? 0 : old.replicas
    const to = service.kind === 'external' ? 0 : service.replicas
    if (reasons.length > 0) difference.replaced.push({ service: service.name, reasons, from, to })
    else if (from !== to) difference.scaled.push({ service: service.name, from, to })
    else if (!same(old.watch, service.watch)) difference.rewatched.push(service.name)
    else difference.unchanged.push(service.name)
  }
  difference.removed = stopOrder(running.services.filter((s) => !after.has(s.name)))
  return difference
}

export function isEmptyDifference(d: ApplicationDifference): boolean {
  return d.added.length + d.removed.length + d.replaced.length + d.scaled.length + d.rewatched.length === 0
}

/** "web replaced (args), worker scaled 3 -> 1, cache added" */
export function describeDifference(d: ApplicationDifference): string {
  const parts = [
    ...d.replaced.map((r) => `${r.service} replaced (${[...r.reasons, ...(r.from !== r.to ? [`replicas ${r.from} -> ${r.to}`] : [])].join(', ')})`),
    ...d.scaled.map((s) => `${s.service} scaled ${s.from} -> ${s.to}`),
    ...d.added.map((name) => `${name} added`),
    ...d.removed.map((name) => `${name} removed`),
    ...d.rewatched.map((name) => `${name} watch changed`),
  ]
  return parts.length > 0 ? parts.join(', ') : 'nothing to apply'
}

function changedFields(old: Service, next: Service): string[] {
  const fields = new Set([...Object.keys(old), ...Object.keys(next)] as (keyof Service)[])
  const changed: string[] = []
  for (const field of fields) {
    if (NOT_REPLACING.has(field)) continue
    if (field === 'env' ? !sameEnv(old, next) : !same(old[field], next[field])) changed.push(field)
  }
  const ports = portChanges(old.bindings, next.bindings)
  if (ports !== undefined) changed.push(...ports)
  else if (!same(old.bindings, next.bindings)) changed.push('bindings')
  return changed
}

/** "port 5005 -> 5006" per binding when only ports changed; undefined when more did */
function portChanges(old: Binding[], next: Binding[]): string[] | undefined {
  if (old.length !== next.length) return undefined
  const changes: string[] = []
  for (let i = 0; i < old.length; i++) {
    const a = old[i]!
    const b = next[i]!
    if (!same({ ...a, port: undefined }, { ...b, port: undefined })) return undefined
    if (a.port !== b.port) changes.push(`${b.name ? `${b.name} ` : ''}port ${a.port ?? 'assigned'} -> ${b.port ?? 'assigned'}`)
  }
  return changes
}

/** the order of variables does not change what a replica sees */
function sameEnv(a: Service, b: Service): boolean {
  const sorted = (s: Service) => [...s.env].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
  return same(sorted(a), sorted(b))
}

/** dependents first: a service stops before the ones it depends on */
function stopOrder(services: Service[]): string[] {
  const order: string[] = []
  const visited = new Set<string>()
  const visit = (name: string): void => {
    if (visited.has(name)) return
    visited.add(name)
    for (const s of services) if (s.dependsOn.some((d) => d.service === name)) visit(s.name)
    order.push(name)
  }
  for (const s of services) visit(s.name)
  return order
}

/** structural equality; object keys in any order, undefined the same as absent */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)])
  for (const key of keys) if (!same(ra[key], rb[key])) return false
  return true
}
