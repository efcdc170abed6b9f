// What a host (the CLI's run command, the desktop app, a test) holds once for everything it
// runs: the orphan guard's watchdog, the channels replicas write their output to, the proxy
// engines (the native relay and where it is, the Node thread pool and whether its threads can
// share a port, whether the relay failed) and the book of internal ports handed out. Core and
// api keep no module-level mutable state (tests/lint/module-state.test.ts checks it): what lives
// longer than a call is on this object, on one of its parts, or on an object it runs
// (an orchestrator's clock of log times, a containment's reading of /proc, an event stream's
// formatter), so two hosts in one process never share a relay, a watchdog or a port.
import { NativeSpawner } from './native-spawner'
import { OrphanGuard } from './orphan-guard'
import { OutputChannels } from './output-channel'
import { PortBook } from './port-book'
import { ProxyEngines } from './proxy/proxy-engines'

export interface Runtime {
  guard: OrphanGuard
  outputChannels: OutputChannels
  proxies: ProxyEngines
  ports: PortBook
  /** micronetes-spawn, which starts replicas' processes where it is built */
  spawner: NativeSpawner
}

export function createRuntime(): Runtime {
  return { guard: new OrphanGuard(), outputChannels: new OutputChannels(), proxies: new ProxyEngines(), ports: new PortBook(), spawner: new NativeSpawner() }
}
