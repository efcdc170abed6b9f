// Names a place in app.yaml the way a person reads it: which service, which kind of map,
// which field, so a message about the shape of a value can say where it is.
import type { Path } from './yaml-source'

export type Form = 'list' | 'map'

/** the kinds of map and list in app.yaml */
export type Kind =
  | 'root' | 'application' | 'services' | 'service' | 'bindings' | 'binding' | 'volumes' | 'volume'
  | 'envMap' | 'envList' | 'envEntry' | 'args' | 'other'
  | 'probe' | 'httpProbe' | 'tcpProbe' | 'execProbe' | 'watch'

export interface Where {
  /** index of the service the path is in, when it is in one */
  service?: number
  /** 'service "web": ' or '' */
  prefix: string
  /** what holds the last segment of the path */
  parent: Kind
  /** what the path itself points at, when it is a map or list */
  self: Kind
  /** the last segment */
  field: string | number | undefined
}

export function servicesPath(form: Form): Path {
  return form === 'list' ? [] : ['services']
}

export function rawServices(form: Form, root: unknown): unknown[] {
  const list = form === 'list' ? root : (root as Record<string, unknown> | null)?.services
  return Array.isArray(list) ? list : []
}

export function serviceLabel(services: readonly unknown[], index: number): string {
  const name = (services[index] as { name?: unknown } | undefined)?.name
  return typeof name === 'string' && name !== '' ? `service "${name}"` : `service #${index + 1}`
}

export function where(path: Path, form: Form, root: unknown): Where {
  const base = servicesPath(form)
  const field = path[path.length - 1]
  const inServices = path.length > base.length && base.every((s, i) => path[i] === s) && typeof path[base.length] === 'number'
  if (!inServices) {
    if (path.length === 0) return { prefix: '', parent: 'root', self: form === 'list' ? 'services' : 'application', field }
    if (form === 'map' && path.length === 1) return { prefix: '', parent: 'application', self: field === 'services' ? 'services' : 'other', field }
    return { prefix: '', parent: 'other', self: 'other', field }
  }
  const service = path[base.length] as number
  const rest = path.slice(base.length + 1)
  const prefix = `${serviceLabel(rawServices(form, root), service)}: `
  return { service, prefix, ...kindsOf(rest), field }
}

function kindsOf(rest: Path): { parent: Kind; self: Kind } {
  const [list, item] = rest
  switch (rest.length) {
    case 0: return { parent: 'services', self: 'service' }
    case 1: return { parent: 'service', self: listKind(list) }
  }
  if (list === 'readiness' || list === 'liveness') return probeKinds(rest)
  if (list === 'watch' && rest.length === 2 && typeof item === 'string') return { parent: 'watch', self: 'other' }
  if (list === 'bindings' && rest.length === 2) return { parent: 'bindings', self: 'binding' }
  if (list === 'bindings' && rest.length === 3) return { parent: 'binding', self: 'other' }
  if (list === 'volumes' && rest.length === 2) return { parent: 'volumes', self: 'volume' }
  if (list === 'volumes' && rest.length === 3) return { parent: 'volume', self: 'other' }
  if (list === 'args' && rest.length === 2) return { parent: 'args', self: 'other' }
  if (ENV_LISTS.has(list) && rest.length === 2) {
    return typeof item === 'string' ? { parent: 'envMap', self: 'other' } : { parent: 'envList', self: 'envEntry' }
  }
  if (ENV_LISTS.has(list) && rest.length === 3) return { parent: 'envEntry', self: 'other' }
  return { parent: 'other', self: 'other' }
}

const ENV_LISTS = new Set<string | number | undefined>(['env', 'environment', 'configuration'])

const PROBE_CHECKS: Record<string, Kind> = { http: 'httpProbe', tcp: 'tcpProbe', exec: 'execProbe' }

/** rest: ['readiness' | 'liveness', check?, field?, ...] */
function probeKinds(rest: Path): { parent: Kind; self: Kind } {
  const check = PROBE_CHECKS[String(rest[1])]
  if (rest.length === 2) return { parent: 'probe', self: check ?? 'other' }
  if (rest.length === 3 && check) return { parent: check, self: 'other' }
  return { parent: 'other', self: 'other' }
}

function listKind(field: string | number | undefined): Kind {
  switch (field) {
    case 'readiness':
    case 'liveness': return 'probe'
    case 'bindings': return 'bindings'
    case 'watch': return 'watch'
    case 'volumes': return 'volumes'
    case 'args': return 'args'
    default: return 'other'
  }
}

/** a value as it reads in a message: "two", 1.5, a list, a map, nothing */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  return 'a map'
}

export function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined
    if (!Object.hasOwn(value, segment)) return undefined
    value = (value as Record<string | number, unknown>)[segment]
  }
  return value
}
