// Starts the round-robin proxy of one binding. See docs/proxy.md for what it guarantees.
import type { BindingProxy, ProxyEngine, ProxyOptions } from '../proxy-types'
import { ThreadPool } from './proxy-host'
import { RelayHost } from './relay-proxy'
import { RelayUnavailable } from './relay-process'
import { RoundRobinProxy } from './round-robin-proxy'

/** the proxy engines of one runtime (runtime.ts): its relay, its thread pool, and whether the relay failed */
export class ProxyEngines {
  readonly threads = new ThreadPool()
  readonly relay = new RelayHost()
  /** set once the native relay failed to start: later proxies go straight to the Node threads */
  private failure: string | undefined

  /**
   * MICRONETES_PROXY=native|node picks; else the native relay where it is built (Linux), else the
   * Node proxy threads.
   */
  defaultEngine(): ProxyEngine {
    const wanted = process.env.MICRONETES_PROXY
    if (wanted === 'node') return 'threads'
    if (wanted === 'native') return 'native'
    return this.relay.binary.path() && !this.failure ? 'native' : 'threads'
  }

  /** why the native relay is not in use, when it failed to start (shown as SessionInfo.proxyFallback) */
  relayFailure(): string | undefined {
    return this.failure
  }

  /**
   * Listens on the binding port (127.0.0.1 and ::1) and resolves once it does; rejects with a
   * message naming the port and service when it cannot. A default native relay that cannot run
   * leaves the proxy to the Node threads; one asked for by name fails instead.
   */
  async start(options: ProxyOptions): Promise<BindingProxy> {
    const engine = options.engine ?? this.defaultEngine()
    if (engine === 'in-process') {
      const proxy = new RoundRobinProxy(options)
      await proxy.listen()
      return proxy
    }
    if (engine === 'native') {
      try {
        return await this.relay.open(options)
      } catch (error) {
        if (!(error instanceof RelayUnavailable) || options.engine === 'native' || process.env.MICRONETES_PROXY === 'native') throw error
        this.failure = error.message
      }
    }
    return this.threads.open(options)
  }
}
