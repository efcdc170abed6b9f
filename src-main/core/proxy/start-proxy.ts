// Starts the round-robin proxy of one binding. See docs/proxy.md for what it guarantees.
import type { BindingProxy, ProxyEngine, ProxyOptions } from '../proxy-types'
import { openThreadProxy } from './proxy-host'
import { relayBinary } from './relay-binary'
import { openRelayProxy } from './relay-proxy'
import { RelayUnavailable } from './relay-process'
import { RoundRobinProxy } from './round-robin-proxy'

/** set once the native relay failed to start: later proxies go straight to the Node threads */
let relayFailure: string | undefined

/**
 * MICRONETES_PROXY=native|node picks; else the native relay where it is built (Linux), else the
 * Node proxy threads.
 */
export function defaultProxyEngine(): ProxyEngine {
  const wanted = process.env.MICRONETES_PROXY
  if (wanted === 'node') return 'threads'
  if (wanted === 'native') return 'native'
  return relayBinary() && !relayFailure ? 'native' : 'threads'
}

/** why the native relay is not in use, when it failed to start */
export function nativeRelayFailure(): string | undefined {
  return relayFailure
}

/**
 * Listens on the binding port (127.0.0.1 and ::1) and resolves once it does; rejects with a
 * message naming the port and service when it cannot. A default native relay that cannot run
 * leaves the proxy to the Node threads; one asked for by name fails instead.
 */
export async function startProxy(options: ProxyOptions): Promise<BindingProxy> {
  const engine = options.engine ?? defaultProxyEngine()
  if (engine === 'in-process') {
    const proxy = new RoundRobinProxy(options)
    await proxy.listen()
    return proxy
  }
  if (engine === 'native') {
    try {
      return await openRelayProxy(options)
    } catch (error) {
      if (!(error instanceof RelayUnavailable) || options.engine === 'native' || process.env.MICRONETES_PROXY === 'native') throw error
      relayFailure = error.message
    }
  }
  return openThreadProxy(options)
}
