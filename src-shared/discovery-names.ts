// How a service and a binding become the names of discovery variables (the README's table): one home
// for the rule, read by the core that sets them, the generators that rewrite them for a
// cluster, and the dashboard that tells them apart from the rest of an environment.

/** the name as .NET configuration sees it: upper case, dashes kept */
export function configName(name: string): string {
  return name.toUpperCase()
}

/** the name as Kubernetes writes it in variables: upper case, anything else becomes "_" */
export function kubernetesName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
}

export type DiscoveryKey = 'HOST' | 'PORT' | 'PROTOCOL'
export const DISCOVERY_KEYS: readonly DiscoveryKey[] = ['HOST', 'PORT', 'PROTOCOL']

/** the two spellings one binding answers to: the service's default binding, or service + binding */
export interface DiscoveryScope {
  config: string
  kube: string
}

export function discoveryScope(service: string, binding?: string): DiscoveryScope {
  if (binding === undefined) return { config: configName(service), kube: kubernetesName(service) }
  return { config: `${configName(service)}__${configName(binding)}`, kube: `${kubernetesName(service)}_${kubernetesName(binding)}` }
}

/** SERVICE__WEB__PORT (the .NET configuration key service:web:port) */
export function serviceVariable(scope: DiscoveryScope, key: DiscoveryKey): string {
  return `SERVICE__${scope.config}__${key}`
}

/** WEB_SERVICE_PORT, as Kubernetes sets for its Services */
export function kubernetesVariable(scope: DiscoveryScope, key: DiscoveryKey): string {
  return `${scope.kube}_SERVICE_${key}`
}

/** CONNECTIONSTRINGS__WEB (the .NET configuration key connectionstrings:web) */
export function connectionStringVariable(scope: DiscoveryScope): string {
  return `CONNECTIONSTRINGS__${scope.config}`
}

/** the replica's own variables, set beside the discovery ones */
export const REPLICA_VARIABLES = ['PORT', 'APP_INSTANCE', 'ASPNETCORE_URLS'] as const

const DISCOVERY_PATTERNS = [
  /^SERVICE__[A-Z0-9_-]+__(?:[A-Z0-9_-]+__)?(?:HOST|PORT|PROTOCOL)$/i,
  /^[A-Z0-9_]+_SERVICE_(?:HOST|PORT|PROTOCOL)$/i,
  /^CONNECTIONSTRINGS__[A-Z0-9_-]+(?:__[A-Z0-9_-]+)?$/i,
]

/** whether Micronetes set this variable for service discovery (or as the replica's own) */
export function isDiscoveryVariable(name: string): boolean {
  return (REPLICA_VARIABLES as readonly string[]).includes(name) || DISCOVERY_PATTERNS.some((pattern) => pattern.test(name))
}
