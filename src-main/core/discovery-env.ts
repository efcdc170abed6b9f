// The service-discovery variables (the README's table under "app.yaml reference"): how every
// replica finds every other service.
// The values are the bindings' public (proxy) ports, so a consumer never needs to know how
// many replicas sit behind a binding.
import { listeningBindings, type Application, type Binding, type Service } from '../../src-shared/app-model'
import { connectionStringVariable, discoveryScope, kubernetesVariable, serviceVariable, type DiscoveryKey, type DiscoveryScope } from '../../src-shared/discovery-names'

/** a binding whose port is known (assigned at start when app.yaml had none) */
export type PublishedBinding = Binding & { port?: number }

export interface ReplicaEnvironmentInput {
  application: Application
  service: Service
  replicaName: string
  /** this replica's ports as it must listen on them: internal host ports, or container ports */
  listenPorts: number[]
  /** every service's bindings with their published ports */
  bindingsOf: (service: string) => PublishedBinding[]
  /** the orchestrator's own environment; processes inherit it, containers do not */
  parentEnv?: NodeJS.ProcessEnv
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])
export const CONTAINER_HOST_ALIAS = 'host.docker.internal'

export function isDotnetProject(service: Service): boolean {
  return service.kind === 'project' && /\.(cs|fs)proj$/i.test(service.project ?? '')
}

function fillConnectionString(template: string, host: string, port: number | undefined): string {
  return template.replaceAll('${host}', host).replaceAll('${port}', port === undefined ? '' : String(port))
}

/**
 * The bindings of one service as seen from a consumer. The unnamed binding is the default
 * one; when every binding has a name, the first also answers as the default.
 */
export function bindingVariables(serviceName: string, bindings: PublishedBinding[], consumerIsContainer: boolean): Record<string, string> {
  const env: Record<string, string> = {}
  const defaultIndex = Math.max(0, bindings.findIndex((b) => b.name === undefined))
  bindings.forEach((binding, index) => {
    const host = consumerIsContainer && LOOPBACK_HOSTS.has(binding.host) ? CONTAINER_HOST_ALIAS : binding.host
    const port = binding.port
    // Tye publishes a binding that has only a connection string as that string and nothing else
    const values: [DiscoveryKey, string | undefined][] = binding.connectionStringOnly ? [] : [
      ['HOST', host],
      ['PORT', port === undefined ? undefined : String(port)],
      ['PROTOCOL', binding.protocol],
    ]
    const connectionString = binding.connectionString === undefined ? undefined : fillConnectionString(binding.connectionString, host, port)
    const scopes: DiscoveryScope[] = []
    if (index === defaultIndex) scopes.push(discoveryScope(serviceName))
    if (binding.name !== undefined) scopes.push(discoveryScope(serviceName, binding.name))
    for (const scope of scopes) {
      for (const [key, value] of values) {
        if (value === undefined) continue
        env[serviceVariable(scope, key)] = value
        env[kubernetesVariable(scope, key)] = value
      }
      if (connectionString !== undefined) env[connectionStringVariable(scope)] = connectionString
    }
  })
  return env
}

/**
 * The host ports a container replica is pointed at through host.docker.internal: every
 * published binding on this machine. The Docker runner relays them from the bridge gateway.
 */
export function hostPortsFor(application: Application, bindingsOf: (service: string) => PublishedBinding[]): number[] {
  const ports = new Set<number>()
  for (const service of application.services) {
    for (const binding of bindingsOf(service.name)) {
      if (binding.port !== undefined && LOOPBACK_HOSTS.has(binding.host)) ports.add(binding.port)
    }
  }
  return [...ports]
}

/** every service's discovery variables, for one consumer */
export function discoveryVariables(application: Application, bindingsOf: (service: string) => PublishedBinding[], consumerIsContainer: boolean): Record<string, string> {
  const env: Record<string, string> = {}
  for (const service of application.services) {
    Object.assign(env, bindingVariables(service.name, bindingsOf(service.name), consumerIsContainer))
  }
  return env
}

/**
 * The complete environment of one replica. Later sources win: the parent environment
 * (processes only), discovery, the replica's own PORT / APP_INSTANCE / ASPNETCORE_URLS,
 * and last what the service's `env` says, because the user wrote it on purpose.
 */
export function replicaEnvironment(input: ReplicaEnvironmentInput): Record<string, string> {
  const { application, service, replicaName, listenPorts } = input
  const isContainer = service.kind === 'container'
  const env: Record<string, string> = {}
  if (!isContainer) {
    for (const [key, value] of Object.entries(input.parentEnv ?? {})) {
      if (value !== undefined) env[key] = value
    }
  }
  // a PORT from the shell micronetes was started in is not this replica's: never pass it on
  delete env.PORT
  delete env.ASPNETCORE_URLS
  Object.assign(env, discoveryVariables(application, input.bindingsOf, isContainer))
  if (listenPorts.length > 0) env.PORT = listenPorts.join(';')
  env.APP_INSTANCE = replicaName
  if (isDotnetProject(service) && listenPorts.length > 0) {
    const listening = listeningBindings(service)
    env.ASPNETCORE_URLS = listenPorts
      .map((port, i) => `${listening[i]?.protocol === 'https' ? 'https' : 'http'}://localhost:${port}`)
      .join(';')
  }
  // Tye's dapr: an app learns where its sidecar listens, as the dapr CLI tells it
  const sidecar = application.services.find((s) => s.daprSidecar?.app === service.name)
  if (sidecar) {
    const ports = input.bindingsOf(sidecar.name)
    const http = ports.find((b) => b.name === 'http')?.port
    const grpc = ports.find((b) => b.name === 'grpc')?.port
    if (http !== undefined) env.DAPR_HTTP_PORT = String(http)
    if (grpc !== undefined) env.DAPR_GRPC_PORT = String(grpc)
  }
  for (const { name, value } of service.env) env[name] = value
  return env
}
