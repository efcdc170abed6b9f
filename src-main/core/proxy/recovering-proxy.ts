// A binding's proxy on an engine's hosts (engine-host.ts): one per slot, each listening on the
// binding port (the thread engine spreads a binding over its threads; the relay is one host with
// threads of its own). Should a host die (a bug), a new one takes its slot on the same port with
// the same backends, at most once a second per slot, and the binding's counters go on from
// where the dead host left them.
import type { BindingProxy, ProxyBackend, ProxyEngine, ProxyOptions, ProxyStats } from '../proxy-types'
import type { EngineHost, HostMember } from './engine-host'
import type { PortSharing } from './loopback-listen'

/** the least time between a host taking a binding's slot and its replacement taking it again */
export const RECOVERY_SPACING_MS = 1_000

/** what differs between engines: how many hosts a binding takes, and which they are */
export interface ProxyEngineDriver {
  readonly name: Exclude<ProxyEngine, 'in-process'>
  /** how many hosts (slots) a binding is spread over */
  slots(options: ProxyOptions): Promise<number>
  /** the host of `slot`, started when first needed; throws when the engine cannot run */
  hostIn(slot: number): EngineHost
}

interface Member {
  id: number
  slot: number
  latest: [string, ProxyStats][]
  openedAt: number
}

export class RecoveringProxy implements BindingProxy, HostMember {
  readonly engine: ProxyEngineDriver['name']
  private readonly members = new Map<EngineHost, Member>()
  /** the round-robin counter every host of this binding takes its turns from */
  private readonly turns = new SharedArrayBuffer(Uint32Array.BYTES_PER_ELEMENT)
  /** what hosts that died had counted, so the totals go on where they were */
  private readonly carried = new Map<string, ProxyStats>()
  private slots = 1
  private boundPort = 0
  private backends: ProxyBackend[] = []
  /** slots being taken again: a close waits for them, so none is left listening after it */
  private readonly recovering = new Set<Promise<void>>()
  private closed = false

  constructor(
    private readonly driver: ProxyEngineDriver,
    private readonly options: ProxyOptions,
  ) {
    this.engine = driver.name
  }

  get port(): number {
    return this.boundPort
  }

  async open(): Promise<void> {
    this.slots = await this.driver.slots(this.options)
    await this.openOn(0, this.slots > 1 ? 'create' : 'none', this.options.port)
    const joining = []
    for (let slot = 1; slot < this.slots; slot++) {
      // a host that cannot join leaves the binding to the others
      joining.push(this.openOn(slot, 'join', this.boundPort).catch(() => undefined))
    }
    await Promise.all(joining)
  }

  reported(host: EngineHost, stats: [string, ProxyStats][]): void {
    const member = this.members.get(host)
    if (member) member.latest = stats
  }

  lost(host: EngineHost): void {
    const member = this.members.get(host)
    this.members.delete(host)
    if (!member) return
    for (const [replica, s] of member.latest) add(this.carried, replica, { ...s, activeConnections: 0 })
    if (this.closed) return
    // a host that dies as soon as it serves is replaced at most once a second, not in a loop
    const pause = Math.max(0, member.openedAt + RECOVERY_SPACING_MS - Date.now())
    const recovery = new Promise((resolve) => setTimeout(resolve, pause)).then(() => (this.closed ? undefined : this.recover(member.slot)))
    this.recovering.add(recovery)
    void recovery.finally(() => this.recovering.delete(recovery))
  }

  setBackends(backends: ProxyBackend[]): void {
    this.backends = backends.slice()
    for (const [host, member] of this.members) host.setBackends(member.id, this.backends)
  }

  stats(): Map<string, ProxyStats> {
    const totals = new Map<string, ProxyStats>()
    for (const [replica, s] of this.carried) totals.set(replica, { ...s })
    for (const member of this.members.values()) for (const [replica, s] of member.latest) add(totals, replica, s)
    return totals
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    await Promise.all([...this.members].map(([host, member]) => host.refreshStats(member.id)))
    return this.stats()
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.recovering)
    const members = [...this.members]
    this.members.clear()
    await Promise.all(members.map(([host, member]) => host.close(member.id)))
  }

  private async openOn(slot: number, sharing: PortSharing, port: number): Promise<void> {
    const host = this.driver.hostIn(slot)
    const opened = await host.open(this, { options: { ...this.options, port }, sharing, turns: this.turns })
    if (this.closed) return void (await host.close(opened.id))
    this.members.set(host, { id: opened.id, slot, latest: [], openedAt: Date.now() })
    this.boundPort = opened.port
    if (this.backends.length > 0) host.setBackends(opened.id, this.backends)
  }

  /** a new host in the dead one's slot: same port, same backends */
  private async recover(slot: number): Promise<void> {
    // with other hosts still on the port, join them; alone, take the port again
    const sharing: PortSharing = this.members.size > 0 ? 'join' : this.slots > 1 ? 'create' : 'none'
    try {
      await this.openOn(slot, sharing, this.boundPort)
    } catch {
      // the port was taken in between, or the engine cannot start: the binding stays with the
      // hosts it has, if any
    }
  }
}

/** adds `s` into the totals of `replica` */
function add(totals: Map<string, ProxyStats>, replica: string, s: ProxyStats): void {
  const sum = totals.get(replica)
  if (!sum) {
    totals.set(replica, { ...s })
    return
  }
  sum.connections += s.connections
  sum.activeConnections += s.activeConnections
  sum.bytesIn += s.bytesIn
  sum.bytesOut += s.bytesOut
}

export async function openRecoveringProxy(driver: ProxyEngineDriver, options: ProxyOptions): Promise<BindingProxy> {
  const proxy = new RecoveringProxy(driver, options)
  await proxy.open()
  return proxy
}
