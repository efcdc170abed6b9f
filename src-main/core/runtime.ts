// What a host (the CLI's run command, the desktop app, a test) holds once for everything it
// runs: the orphan guard's watchdog, the channels replicas write their output to, and the
// proxy engines (the native relay, the Node thread pool, whether the relay failed). Core keeps
// none of it in module state, so two hosts in one process never share a relay or a watchdog.
import { OrphanGuard } from './orphan-guard'
import { OutputChannels } from './output-channel'
import { PortBook } from './port-book'
import { ProxyEngines } from './proxy/proxy-engines'

export interface Runtime {
  guard: OrphanGuard
  outputChannels: OutputChannels
  proxies: ProxyEngines
  ports: PortBook
}

export function createRuntime(): Runtime {
  return { guard: new OrphanGuard(), outputChannels: new OutputChannels(), proxies: new ProxyEngines(), ports: new PortBook() }
}
