// Binding ports and the proxies on them: every binding gets its public port (as written or
// free), every port is claimed for the start-up check, and each proxy is told which ready
// replicas to hand new connections to.
import type { PortBook } from './port-book'
import type { PortClaim } from './ports'
import type { BindingProxy, ProxyOptions } from './proxy-types'
import { sortedReplicas, type ServiceEntry } from './service-entry'

/** gives every binding its public port: as written, or a free one (external ones keep theirs) */
export async function publishBindings(entries: Iterable<ServiceEntry>, ports: PortBook): Promise<void> {
  const list = [...entries]
  // an assigned port must not be one that app.yaml gives another binding
  const written = new Set(list.flatMap((entry) => entry.service.bindings.map((b) => b.port).filter((p): p is number => p !== undefined)))
  for (const entry of list) {
    entry.bindings = []
    for (const binding of entry.service.bindings) {
      const port = binding.port ?? (entry.service.kind === 'external' || binding.connectionStringOnly ? 0 : await ports.freePort(written))
      entry.bindings.push({ ...binding, port })
    }
  }
}

/** one proxy per listening binding, in binding order, so proxies[i] fronts every replica's ports[i] */
function* proxiedBindings(entries: Iterable<ServiceEntry>): Generator<{ entry: ServiceEntry; options: ProxyOptions }> {
  for (const entry of entries) {
    if (entry.service.kind === 'external') continue
    for (const binding of entry.bindings) {
      if (binding.connectionStringOnly) continue
      const options: ProxyOptions = { port: binding.port, service: entry.service.name }
      if (binding.name !== undefined) options.binding = binding.name
      yield { entry, options }
    }
  }
}

/** the ports the proxies will listen on, with who wants them */
export function proxiedClaims(entries: Iterable<ServiceEntry>): PortClaim[] {
  return [...proxiedBindings(entries)].map(({ options }) => {
    const claim: PortClaim = { port: options.port, service: options.service }
    if (options.binding !== undefined) claim.binding = options.binding
    return claim
  })
}

export async function startProxies(entries: Iterable<ServiceEntry>, start: (options: ProxyOptions) => Promise<BindingProxy>, waitForBackendMs?: number): Promise<void> {
  for (const { entry, options } of proxiedBindings(entries)) {
    if (waitForBackendMs !== undefined) options.waitForBackendMs = waitForBackendMs
    entry.proxies.push(await start(options))
  }
}

export async function closeProxies(entries: Iterable<ServiceEntry>): Promise<void> {
  const proxies = [...entries].flatMap((entry) => entry.proxies.splice(0))
  await Promise.all(proxies.map((p) => p.close().catch(() => undefined)))
}

/** new connections go to ready replicas only, in ordinal order, at the address they answered on */
export function updateBackends(entry: ServiceEntry): void {
  const ready = sortedReplicas(entry).filter((r) => r.supervisor.currentState === 'ready' && !r.removing)
  entry.proxies.forEach((proxy, i) => {
    proxy.setBackends(
      ready.map((r) => ({
        replica: r.supervisor.name,
        host: r.supervisor.readyHosts[i] ?? '127.0.0.1',
        port: r.supervisor.ports[i] ?? 0,
      })),
    )
  })
}
