// A binding's proxy on the native relay (relay-process.ts): the relay's worker threads accept on
// the binding port and move the bytes outside JavaScript. Should the relay itself die (a bug),
// a new one takes the same port with the same backends.
import type { BindingProxy, ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import { listenError } from './loopback-listen'
import { relayBinary } from './relay-binary'
import { RelayProcess, RelayUnavailable, type RelayMember } from './relay-process'
import { wantedProxyThreads } from './shared-port'
import { DEFAULT_WAIT_FOR_BACKEND_MS } from './round-robin-proxy'

/** the least time between a relay taking a binding and its replacement taking it again */
const RECOVERY_SPACING_MS = 1_000

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

class RelayProxy implements BindingProxy, RelayMember {
  readonly engine = 'native'
  private relay: RelayProcess | undefined
  private id = 0
  private boundPort = 0
  private backends: ProxyBackend[] = []
  private latest: [string, ProxyStats][] = []
  /** what relays that died had counted, so the totals go on where they were */
  private readonly carried = new Map<string, ProxyStats>()
  private recovering: Promise<void> | undefined
  private openedAt = 0
  private closed = false

  constructor(private readonly options: ProxyOptions) {}

  get port(): number {
    return this.boundPort
  }

  async open(port = this.options.port): Promise<void> {
    const target = relay()
    const wait = this.options.waitForBackendMs ?? DEFAULT_WAIT_FOR_BACKEND_MS
    let opened: { id: number; port: number }
    try {
      // as many as the Node threads would have (the relay shares ports on every Linux)
      opened = await target.open(this, port, wait, wantedProxyThreads(this.options.threads))
    } catch (error) {
      if (error instanceof RelayUnavailable) throw error
      const { host, port: failedPort } = error as { host: string; port: number }
      throw listenError(this.options, failedPort || port, host, error)
    }
    if (this.closed) return void (await target.close(opened.id))
    this.relay = target
    this.openedAt = Date.now()
    this.id = opened.id
    this.boundPort = opened.port
    if (this.backends.length > 0) target.setBackends(this.id, this.backends)
  }

  reported(stats: [string, ProxyStats][]): void {
    this.latest = stats
  }

  lost(): void {
    this.relay = undefined
    for (const [replica, s] of this.stats()) this.carried.set(replica, { ...s, activeConnections: 0 })
    this.latest = []
    if (this.closed) return
    // on a new relay in the dead one's place: same port, same backends; should the port have
    // been taken in between, the binding stays closed. A relay that dies as soon as it serves
    // is replaced at most once a second, not in a tight loop.
    const pause = Math.max(0, this.openedAt + RECOVERY_SPACING_MS - Date.now())
    this.recovering = new Promise((resolve) => setTimeout(resolve, pause))
      .then(() => (this.closed ? undefined : this.open(this.boundPort)))
      .catch(() => undefined)
  }

  setBackends(backends: ProxyBackend[]): void {
    this.backends = backends.slice()
    this.relay?.setBackends(this.id, this.backends)
  }

  stats(): Map<string, ProxyStats> {
    const totals = new Map<string, ProxyStats>()
    for (const [replica, s] of this.carried) totals.set(replica, { ...s })
    for (const [replica, s] of this.latest) {
      const before = totals.get(replica)
      totals.set(replica, before ? {
        connections: before.connections + s.connections,
        activeConnections: s.activeConnections,
        bytesIn: before.bytesIn + s.bytesIn,
        bytesOut: before.bytesOut + s.bytesOut,
      } : { ...s })
    }
    return totals
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    await this.relay?.refreshStats(this.id)
    return this.stats()
  }

  async close(): Promise<void> {
    this.closed = true
    await this.recovering
    await this.relay?.close(this.id)
    this.relay = undefined
  }
}

/** rejects with RelayUnavailable when the relay cannot run here, else as the port allows */
export async function openRelayProxy(options: ProxyOptions): Promise<BindingProxy> {
  const proxy = new RelayProxy(options)
  await proxy.open()
  return proxy
}

/** the running relay process, if any (tests use it to check its life and recovery) */
export function relayProcess(): RelayProcess | undefined {
  return current
}
