// The environment a replica gets on a cluster or a Compose host: the discovery variables of
// DESIGN.md under the same names (discovery-env.ts makes them, for one rule everywhere), with
// the target's own host names and ports instead of this machine's proxies, and the replica's
// own PORT. The service's env still wins, as it does locally.
import type { Application, Binding, Service } from '../../../src-shared/app-model'
import { discoveryVariables, isDotnetProject } from '../discovery-env'
import { targetBindings } from './target-ports'

/** how one binding of a service is reached there */
export type TargetAddress = (service: Service, binding: Binding) => { host: string; port: number }

export interface TargetDiscovery {
  /** SERVICE__*, *_SERVICE_*: plain configuration */
  plain: Record<string, string>
  /** CONNECTIONSTRINGS__*: may hold credentials, so kept apart (a Kubernetes Secret) */
  connectionStrings: Record<string, string>
}

const CONNECTION_STRING = /^CONNECTIONSTRINGS__/

export function targetDiscovery(application: Application, address: TargetAddress): TargetDiscovery {
  const byName = new Map(application.services.map((s) => [s.name, s]))
  // the address replaces the host: a name that is not a loopback one is passed on as is
  const all = discoveryVariables(application, (name) => {
    const service = byName.get(name)!
    // a binding of only a connection string (Tye's) is passed on as written: it has no address
    return service.bindings.map((binding) => (binding.connectionStringOnly ? binding : { ...binding, ...address(service, binding) }))
  }, false)
  const discovery: TargetDiscovery = { plain: {}, connectionStrings: {} }
  for (const [key, value] of Object.entries(all)) {
    if (CONNECTION_STRING.test(key)) discovery.connectionStrings[key] = value
    else discovery.plain[key] = value
  }
  return discovery
}

/** PORT (and ASPNETCORE_URLS for .NET), then the service's own env, which wins */
export function ownEnvironment(service: Service): Record<string, string> {
  const env: Record<string, string> = {}
  const ports = targetBindings(service).map((b) => b.containerPort)
  if (ports.length > 0) env.PORT = ports.join(';')
  // in a container, localhost is unreachable from outside it: listen on every interface
  if (isDotnetProject(service) && ports.length > 0) {
    env.ASPNETCORE_URLS = ports.map((port, i) => `${service.bindings[i]?.protocol === 'https' ? 'https' : 'http'}://+:${port}`).join(';')
  }
  for (const { name, value } of service.env) env[name] = value
  return env
}
