// The native engine: the relay (relay-process.ts) is one host for every binding, its worker
// threads accepting on the binding port and moving the bytes outside JavaScript. Recovery and
// counters: recovering-proxy.ts, as for the Node threads.
import type { BindingProxy, ProxyOptions } from '../proxy-types'
import { openRecoveringProxy, type ProxyEngineDriver } from './recovering-proxy'
import { RelayBinary } from './relay-binary'
import { RelayProcess, RelayUnavailable } from './relay-process'
import { wantedProxyThreads } from './shared-port'

/** the relay of one runtime (runtime.ts), started for the first proxy that needs it */
export class RelayHost {
  private current: RelayProcess | undefined
  readonly binary = new RelayBinary()
  private readonly driver: ProxyEngineDriver = {
    name: 'native',
    // one relay, sharing the port among threads of its own
    slots: () => Promise.resolve(1),
    hostIn: () => this.relay(),
  }

  /** rejects with RelayUnavailable when the relay cannot run here, else as the port allows */
  open(options: ProxyOptions): Promise<BindingProxy> {
    return openRecoveringProxy(this.driver, options)
  }

  /** the running relay process, if any (tests use it to check its life and recovery) */
  process(): RelayProcess | undefined {
    return this.current
  }

  private relay(): RelayProcess {
    if (this.current) return this.current
    const binary = this.binary.path()
    if (!binary) throw new RelayUnavailable('the native relay is not built for this platform (npm run build builds it on Linux)')
    const started = new RelayProcess(binary, wantedProxyThreads(), (gone) => {
      if (this.current === gone) this.current = undefined
    })
    this.current = started
    return started
  }
}
