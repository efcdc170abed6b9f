// Starts the round-robin proxy of one binding. See docs/proxy.md for what it guarantees.
import type { BindingProxy, ProxyOptions } from '../proxy-types'
import { openThreadProxy } from './proxy-host'
import { RoundRobinProxy } from './round-robin-proxy'

/**
 * Listens on the binding port (127.0.0.1 and ::1) and resolves once it does; rejects with a
 * message naming the port and service when it cannot. By default the proxy runs on the
 * shared proxy thread, off the caller's event loop.
 */
export async function startProxy(options: ProxyOptions): Promise<BindingProxy> {
  if (!options.inProcess) return openThreadProxy(options)
  const proxy = new RoundRobinProxy(options)
  await proxy.listen()
  return proxy
}
