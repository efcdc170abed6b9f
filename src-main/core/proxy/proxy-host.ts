// The orchestrator's side of the proxy threads. Every binding's proxy runs off the orchestrator's
// event loop, on the pool's threads: one thread where the runtime cannot share a listening port,
// else one per core (up to 4), each listening on the binding port itself (shared-port.ts). A
// thread starts with its first proxy and ends with its last; a worker thread dies with its
// process, so no proxy can outlive the orchestrator and hold a port. Should a thread itself die
// (a bug), a new one takes its place on the same port with the same backends.
import type { Worker } from 'node:worker_threads'
import type { BindingProxy, ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import type { PortSharing } from './loopback-listen'
import { ProxyWorker, type ThreadMember } from './proxy-worker'
import { proxyThreadCount } from './shared-port'

interface Member {
  id: number
  slot: number
  latest: [string, ProxyStats][]
}

class ThreadProxy implements BindingProxy, ThreadMember {
  readonly engine = 'threads'
  private readonly members = new Map<ProxyWorker, Member>()
  /** the round-robin counter every thread of this binding takes its turns from */
  private readonly turns = new SharedArrayBuffer(Uint32Array.BYTES_PER_ELEMENT)
  private threads = 1
  private boundPort = 0
  private backends: ProxyBackend[] = []
  /** threads being replaced: a close waits for them, so none is left listening after it */
  private readonly recovering = new Set<Promise<void>>()
  private closed = false

  constructor(private readonly options: ProxyOptions) {}

  get port(): number {
    return this.boundPort
  }

  async open(): Promise<void> {
    this.threads = await proxyThreadCount(this.options.threads)
    await this.openOn(0, this.threads > 1 ? 'create' : 'none', this.options.port)
    const joining = []
    for (let slot = 1; slot < this.threads; slot++) {
      // a thread that cannot join leaves the binding to the others
      joining.push(this.openOn(slot, 'join', this.boundPort).catch(() => undefined))
    }
    await Promise.all(joining)
  }

  reported(thread: ProxyWorker, stats: [string, ProxyStats][]): void {
    const member = this.members.get(thread)
    if (member) member.latest = stats
  }

  lost(thread: ProxyWorker): void {
    const member = this.members.get(thread)
    this.members.delete(thread)
    if (!member || this.closed) return
    const recovery = this.recover(member.slot)
    this.recovering.add(recovery)
    void recovery.finally(() => this.recovering.delete(recovery))
  }

  setBackends(backends: ProxyBackend[]): void {
    this.backends = backends.slice()
    for (const [thread, member] of this.members) thread.setBackends(member.id, this.backends)
  }

  stats(): Map<string, ProxyStats> {
    const total = new Map<string, ProxyStats>()
    for (const member of this.members.values()) {
      for (const [replica, s] of member.latest) {
        const sum = total.get(replica)
        if (!sum) total.set(replica, { ...s })
        else {
          sum.connections += s.connections
          sum.activeConnections += s.activeConnections
          sum.bytesIn += s.bytesIn
          sum.bytesOut += s.bytesOut
        }
      }
    }
    return total
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    await Promise.all([...this.members].map(([thread, member]) => thread.refreshStats(member.id)))
    return this.stats()
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.recovering)
    const members = [...this.members]
    this.members.clear()
    await Promise.all(members.map(([thread, member]) => thread.close(member.id)))
  }

  private async openOn(slot: number, sharing: PortSharing, port: number): Promise<void> {
    const thread = threadIn(slot)
    const opened = await thread.open(this, { ...this.options, port }, sharing, this.turns)
    if (this.closed) return void (await thread.close(opened.id))
    this.members.set(thread, { id: opened.id, slot, latest: [] })
    this.boundPort = opened.port
    if (this.backends.length > 0) thread.setBackends(opened.id, this.backends)
  }

  /** on a new thread in the dead one's place: same port, same backends */
  private async recover(slot: number): Promise<void> {
    // with other threads still on the port, join them; alone, take the port again
    const sharing: PortSharing = this.members.size > 0 ? 'join' : this.threads > 1 ? 'create' : 'none'
    try {
      await this.openOn(slot, sharing, this.boundPort)
    } catch {
      // the port was taken in between: the binding stays with the threads it has, if any
    }
  }
}

/** the pool: a thread per slot, started when a proxy first needs the slot */
const slots: (ProxyWorker | undefined)[] = []

function threadIn(slot: number): ProxyWorker {
  let thread = slots[slot]
  if (!thread) {
    thread = new ProxyWorker((gone) => {
      if (slots[slot] === gone) slots[slot] = undefined
    })
    slots[slot] = thread
  }
  return thread
}

export async function openThreadProxy(options: ProxyOptions): Promise<BindingProxy> {
  const proxy = new ThreadProxy(options)
  await proxy.open()
  return proxy
}

/** the running proxy threads (tests use them to check the pool and recovery) */
export function proxyWorkers(): Worker[] {
  return slots.flatMap((thread) => (thread ? [thread.worker] : []))
}
