// Starts the round-robin proxy of one binding. See docs/proxy.md for what it guarantees.
import type { BindingProxy, ProxyOptions } from '../proxy-types'
import { RoundRobinProxy } from './round-robin-proxy'

export async function startProxy(options: ProxyOptions): Promise<BindingProxy> {
  const proxy = new RoundRobinProxy(options)
  await proxy.listen()
  return proxy
}
