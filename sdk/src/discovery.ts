// Service discovery over the variables Micronetes injects into every replica (SERVICE__S__HOST,
// SERVICE__S__B__PORT, CONNECTIONSTRINGS__S, ...). The Kubernetes-style names (S_SERVICE_HOST) are
// a fallback, so the same service code keeps working once the application runs in a cluster.

import { configuration, type Configuration } from './configuration.js'
import { UnknownBindingError, UnknownServiceError } from './errors.js'
import { parseServiceReference } from './service-name.js'

/** Where one binding of a service can be reached. */
export interface ServiceBinding {
  /** the service name, lower-cased */
  service: string
  /** the binding name, lower-cased; undefined for the default binding */
  binding?: string
  host: string
  port?: number
  /** the binding's protocol; `http` when the application does not say */
  protocol: string
  connectionString?: string
  /** `protocol://host:port`, when the binding has a port */
  uri?: URL
}

const ADDRESS_FIELDS = new Set(['host', 'port', 'protocol'])
const DEFAULT_BINDING_LABEL = '(default)'

function kubernetesPrefix(service: string, binding?: string): string {
  const parts = binding === undefined ? [service] : [service, binding]
  return parts.map((part) => part.replaceAll('-', '_')).join('_')
}

/** Names of every service this process can see, sorted. */
export function knownServices(from: Configuration = configuration()): string[] {
  const names = new Set([...from.children('service'), ...from.children('connectionstrings')])
  if (names.size === 0) {
    // only in a cluster, where S_B_SERVICE_HOST cannot be told apart from S_SERVICE_HOST of a service 's-b'
    for (const key of from.keys()) {
      const match = /^(.+)_service_host$/.exec(key)
      if (match?.[1]) names.add(match[1].replaceAll('_', '-'))
    }
  }
  return [...names].sort()
}

/** Binding names of one service, `(default)` for the unnamed one. */
export function knownBindings(service: string, from: Configuration = configuration()): string[] {
  const s = service.toLowerCase()
  const named = new Set([
    ...from.children(`service:${s}`).filter((field) => !ADDRESS_FIELDS.has(field)),
    ...from.children(`connectionstrings:${s}`),
  ])
  const hasDefault = [...ADDRESS_FIELDS].some((field) => from.has(`service:${s}:${field}`)) || from.has(`connectionstrings:${s}`)
  return [...(hasDefault ? [DEFAULT_BINDING_LABEL] : []), ...[...named].sort()]
}

function parsePort(raw: string | undefined, variable: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const port = Number(raw.trim())
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable} is '${raw}', which is not a port number (1-65535).`)
  }
  return port
}

function toUri(protocol: string, host: string, port: number | undefined, where: string): URL | undefined {
  if (port === undefined) return undefined
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  try {
    return new URL(`${protocol}://${hostPart}:${port}`)
  } catch (error) {
    throw new Error(`${where}: '${protocol}://${hostPart}:${port}' is not a valid address.`, { cause: error })
  }
}

interface RawBinding {
  host?: string
  port?: string
  protocol?: string
  connectionString?: string
  portVariable: string
}

function readMicronetesBinding(from: Configuration, service: string, binding?: string): RawBinding | undefined {
  const section = binding === undefined ? `service:${service}` : `service:${service}:${binding}`
  const csKey = binding === undefined ? `connectionstrings:${service}` : `connectionstrings:${service}:${binding}`
  const raw: RawBinding = {
    host: from.get(`${section}:host`),
    port: from.get(`${section}:port`),
    protocol: from.get(`${section}:protocol`),
    connectionString: from.get(csKey),
    portVariable: `${section.toUpperCase().replaceAll(':', '__')}__PORT`,
  }
  const found = raw.host !== undefined || raw.port !== undefined || raw.protocol !== undefined || raw.connectionString !== undefined
  return found ? raw : undefined
}

function readKubernetesBinding(from: Configuration, service: string, binding?: string): RawBinding | undefined {
  const prefix = kubernetesPrefix(service, binding)
  const raw: RawBinding = {
    host: from.get(`${prefix}_service_host`),
    port: from.get(`${prefix}_service_port`),
    protocol: from.get(`${prefix}_service_protocol`),
    portVariable: `${prefix.toUpperCase()}_SERVICE_PORT`,
  }
  // Kubernetes itself names extra ports S_SERVICE_PORT_NAME
  if (raw.port === undefined && binding !== undefined) {
    const base = kubernetesPrefix(service)
    raw.host = raw.host ?? from.get(`${base}_service_host`)
    raw.port = from.get(`${base}_service_port_${kubernetesPrefix(binding)}`)
    raw.portVariable = `${base.toUpperCase()}_SERVICE_PORT_${kubernetesPrefix(binding).toUpperCase()}`
  }
  return raw.host !== undefined || raw.port !== undefined ? raw : undefined
}

/**
 * Where a service's default or named binding is: `('web')`, `('web', 'management')` or
 * `('web:management')`. Throws when the service or the binding is unknown, naming what is known.
 */
export function resolveServiceBinding(name: string, binding?: string, from: Configuration = configuration()): ServiceBinding {
  const ref = parseServiceReference(name, binding)
  const isMicronetesService = from.children('service').includes(ref.service) || from.children('connectionstrings').includes(ref.service)

  let raw: RawBinding | undefined
  let boundName = ref.binding
  if (isMicronetesService) {
    raw = readMicronetesBinding(from, ref.service, ref.binding)
    if (!raw && ref.binding === undefined) {
      // a service whose only binding is named still answers to its bare name
      const named = knownBindings(ref.service, from).filter((b) => b !== DEFAULT_BINDING_LABEL)
      if (named.length === 1) {
        boundName = named[0]
        raw = readMicronetesBinding(from, ref.service, boundName)
      }
    }
    if (!raw) throw new UnknownBindingError(ref.service, ref.binding, knownBindings(ref.service, from))
  } else {
    raw = readKubernetesBinding(from, ref.service, ref.binding)
    if (!raw) throw new UnknownServiceError(ref.service, knownServices(from))
  }

  const where = boundName === undefined ? `service '${ref.service}'` : `service '${ref.service}' binding '${boundName}'`
  const host = raw.host?.trim() || 'localhost'
  const protocol = raw.protocol?.trim().toLowerCase() || 'http'
  const port = parsePort(raw.port, raw.portVariable)
  const result: ServiceBinding = { service: ref.service, host, protocol }
  if (boundName !== undefined) result.binding = boundName
  if (port !== undefined) result.port = port
  if (raw.connectionString !== undefined) result.connectionString = raw.connectionString
  const uri = toUri(protocol, host, port, where)
  if (uri) result.uri = uri
  return result
}

/** The address of a service's binding as a URL, e.g. `http://localhost:5000/`. */
export function getServiceUri(name: string, binding?: string, from: Configuration = configuration()): URL {
  const target = resolveServiceBinding(name, binding, from)
  if (!target.uri) {
    const which = target.binding === undefined ? `service '${target.service}'` : `service '${target.service}' binding '${target.binding}'`
    const hint = target.connectionString !== undefined ? ` It has a connection string: use getConnectionString('${name}').` : ''
    throw new Error(`${which} has no port, so it has no address.${hint}`)
  }
  return target.uri
}

/** The binding's connection string (CONNECTIONSTRINGS__S[__B]), or undefined when it has none. */
export function getConnectionString(name: string, binding?: string, from: Configuration = configuration()): string | undefined {
  return resolveServiceBinding(name, binding, from).connectionString
}
