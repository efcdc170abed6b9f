// The native engine: the relay (relay-process.ts) is one host for every binding, its worker
// threads accepting on the binding port and moving the bytes outside JavaScript. Recovery and
// counters: recovering-proxy.ts, as for the Node threads.
import type { BindingProxy, ProxyOptions } from '../proxy-types'
import { openRecoveringProxy, type ProxyEngineDriver } from './recovering-proxy'
import { relayBinary } from './relay-binary'
import { RelayProcess, RelayUnavailable } from './relay-process'
import { wantedProxyThreads } from './shared-port'

let current: RelayProcess | undefined

/** the running relay, started for the first proxy that needs it */
function relay(): RelayProcess {
  if (current) return current
  const binary = relayBinary()
  if (!binary) throw new RelayUnavailable('the native relay is not built for this platform (npm run build builds it on Linux)')
  const started = new RelayProcess(binary, wantedProxyThreads(), (gone) => {
    if (current === gone) current = undefined
  })
  current = started
  return started
}

const relayEngine: ProxyEngineDriver = {
  name: 'native',
  // one relay, sharing the port among threads of its own
  slots: () => Promise.resolve(1),
  hostIn: () => relay(),
}

/** rejects with RelayUnavailable when the relay cannot run here, else as the port allows */
export function openRelayProxy(options: ProxyOptions): Promise<BindingProxy> {
  return openRecoveringProxy(relayEngine, options)
}

/** the running relay process, if any (tests use it to check its life and recovery) */
export function relayProcess(): RelayProcess | undefined {
  return current
}
