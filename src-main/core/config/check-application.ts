// Checks that span services: names are unique, and no two bindings claim one port on this
// machine (the proxy of each binding listens on it, so a second one could never start).
import type { Ingress, Service } from '../../../src-shared/app-model'
import type { ProblemList } from './problem-list'
import type { Path } from './yaml-source'

/** raw names are checked, so a service with other problems still claims its name */
export function checkServiceNames(rawServices: readonly unknown[], servicesPath: Path, problems: ProblemList): void {
  // names are compared as Tye does, without case: `appA` and `appa` are one service
  const first = new Map<string, { index: number; name: string }>()
  rawServices.forEach((raw, i) => {
    const name = (raw as { name?: unknown } | null)?.name
    if (typeof name !== 'string') return
    const earlier = first.get(name.toLowerCase())
    if (earlier === undefined) {
      first.set(name.toLowerCase(), { index: i, name })
      return
    }
    const line = problems.lineOf([...servicesPath, earlier.index, 'name'])
    const message = earlier.name === name
      ? `service "${name}" is defined twice (first at line ${line})`
      : `services "${earlier.name}" (line ${line}) and "${name}" are the same service: names are compared without case`
    problems.at([...servicesPath, i, 'name'], message)
  })
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

export interface BuiltService {
  service: Service
  path: Path
}

/** an ingress port must be no binding's, nor another ingress binding's */
export function checkIngressPorts(ingresses: readonly Ingress[], built: readonly BuiltService[], problems: ProblemList): void {
  const owners = new Map<number, string>()
  for (const { service } of built) {
    if (service.kind === 'external') continue
    for (const b of service.bindings) if (b.port !== undefined) owners.set(b.port, `service "${service.name}"`)
  }
  ingresses.forEach((ingress, i) => {
    ingress.bindings.forEach((binding, j) => {
      if (binding.port === undefined) return
      const owner = owners.get(binding.port)
      if (owner !== undefined) problems.at(['ingress', i, 'bindings', j, 'port'], `ingress "${ingress.name}": port ${binding.port} is also used by ${owner}`)
      else owners.set(binding.port, `ingress "${ingress.name}"`)
    })
  })
}

export function checkBindingPorts(built: readonly BuiltService[], problems: ProblemList): void {
  const owners = new Map<number, string>()
  for (const { service, path } of built) {
    service.bindings.forEach((binding, j) => {
      if (binding.port === undefined) return
      // an external service elsewhere listens on its own machine, not on this one's port
      if (service.kind === 'external' && !LOOPBACK.has(binding.host)) return
      const owner = owners.get(binding.port)
      if (owner === undefined) {
        owners.set(binding.port, service.name)
        return
      }
      const by = owner === service.name ? `another binding of service "${owner}"` : `service "${owner}"`
      problems.at([...path, 'bindings', j, 'port'], `service "${service.name}": binding port ${binding.port} is also used by ${by}`)
    })
  }
}

/** Kubernetes-style variables turn `-` into `_`: upper case, the way discovery-env writes them */
function kubernetesScope(service: string, binding?: string): string {
  const part = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
  return binding === undefined ? part(service) : `${part(service)}_${part(binding)}`
}

/**
 * Service `a-b` with binding `c` and service `a` with binding `b-c` would both publish
 * A_B_C_SERVICE_HOST: one would silently overwrite the other in every replica's environment.
 */
export function checkDiscoveryNames(built: readonly BuiltService[], problems: ProblemList): void {
  const owners = new Map<string, string>()
  const claim = (scope: string, who: string, path: Path) => {
    const owner = owners.get(scope)
    if (owner === undefined) {
      owners.set(scope, who)
      return
    }
    if (owner === who) return
    problems.at(path, `${who} and ${owner} would both publish ${scope}_SERVICE_HOST; rename one of them`)
  }
  for (const { service, path } of built) {
    claim(kubernetesScope(service.name), `service "${service.name}"`, [...path, 'name'])
    service.bindings.forEach((binding, j) => {
      if (binding.name === undefined) return
      claim(kubernetesScope(service.name, binding.name), `binding "${binding.name}" of service "${service.name}"`, [...path, 'bindings', j, 'name'])
    })
  }
}
