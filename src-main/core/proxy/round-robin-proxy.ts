// The proxy engine: accepts on the binding port, hands each new connection to the next backend
// in turn, and counts per replica. It runs wherever it is created (see start-proxy.ts); where
// several threads share the port, each runs one and they take turns from one shared counter.
import net from 'node:net'
import type { ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import { closeServer, listenOnLoopback, type PortSharing } from './loopback-listen'
import { BackendLink } from './relay'

export const DEFAULT_WAIT_FOR_BACKEND_MS = 5_000
/** while waiting for a backend, how often backends that refused are tried again */
const RETRY_REFUSED_MS = 100

interface ReplicaCounters {
  connections: number
  /** bytes of connections already closed; open ones are read from their sockets */
  closedBytesIn: number
  closedBytesOut: number
  open: Set<net.Socket>
}

interface WaitingClient {
  socket: net.Socket
  deadline: number
  timer?: NodeJS.Timeout
}

export interface SharedTurns {
  /** how the listening sockets share the binding port with other threads */
  sharing: PortSharing
  /** one counter of the turns taken by every thread of the binding (a SharedArrayBuffer's view) */
  turns: Uint32Array
}

export class RoundRobinProxy {
  readonly engine = 'in-process'
  private backends: ProxyBackend[] = []
  private readonly turns: Uint32Array
  private servers: net.Server[] = []
  private readonly waiting = new Set<WaitingClient>()
  /** connections being made to a backend, and connections relaying */
  private readonly links = new Set<BackendLink>()
  private readonly counters = new Map<string, ReplicaCounters>()
  private closing = false
  private boundPort = 0

  constructor(
    private readonly options: ProxyOptions,
    private readonly shared?: SharedTurns,
  ) {
    this.turns = shared?.turns ?? new Uint32Array(1)
  }

  get port(): number {
    return this.boundPort
  }

  async listen(): Promise<number> {
    const { port, servers } = await listenOnLoopback(this.options, () => {
      const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true })
      server.on('connection', (socket) => this.accept(socket))
      // an accept error (EMFILE) must not take the proxy down; the client sees a close
      server.on('error', noop)
      return server
    }, this.shared?.sharing)
    this.boundPort = port
    this.servers = servers
    return port
  }

  setBackends(backends: ProxyBackend[]): void {
    this.backends = backends.slice()
    for (const backend of this.backends) this.countersFor(backend.replica)
    if (this.backends.length > 0) {
      for (const waiter of [...this.waiting]) this.dispatch(waiter)
    }
  }

  stats(): Map<string, ProxyStats> {
    const result = new Map<string, ProxyStats>()
    for (const [replica, c] of this.counters) {
      let bytesIn = c.closedBytesIn
      let bytesOut = c.closedBytesOut
      for (const upstream of c.open) {
        bytesIn += upstream.bytesWritten
        bytesOut += upstream.bytesRead
      }
      result.set(replica, { connections: c.connections, activeConnections: c.open.size, bytesIn, bytesOut })
    }
    return result
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    return this.stats()
  }

  async close(): Promise<void> {
    this.closing = true
    for (const waiter of this.waiting) clearTimeout(waiter.timer)
    const closed = this.servers.map(closeServer)
    for (const waiter of this.waiting) waiter.socket.destroy()
    this.waiting.clear()
    for (const link of this.links) link.destroy()
    this.links.clear()
    await Promise.all(closed)
  }

  private accept(socket: net.Socket): void {
    if (this.closing) return void socket.destroy()
    // errors surface as 'close'; the listener only keeps them from being thrown
    socket.on('error', noop)
    const waiter: WaitingClient = {
      socket,
      deadline: Date.now() + (this.options.waitForBackendMs ?? DEFAULT_WAIT_FOR_BACKEND_MS),
    }
    this.dispatch(waiter)
  }

  /** tries each backend once, starting at the next in turn; waits if none answers */
  private dispatch(waiter: WaitingClient, tried = 0): void {
    this.waiting.delete(waiter)
    clearTimeout(waiter.timer)
    const { socket } = waiter
    if (this.closing || socket.destroyed) return
    if (tried >= this.backends.length) return this.wait(waiter)

    // atomic: the threads sharing the port take turns from the same counter, so connections
    // still go round the backends in order whichever thread accepted them
    const backend = this.backends[Atomics.add(this.turns, 0, 1) % this.backends.length] as ProxyBackend
    let link: BackendLink
    try {
      link = new BackendLink(backend.host, backend.port, socket)
    } catch {
      // a backend net.connect rejects outright (a bad port) counts as one that refuses
      return this.dispatch(waiter, tried + 1)
    }
    this.links.add(link)
    const { upstream } = link
    const refused = (): void => {
      this.links.delete(link)
      upstream.destroy()
      this.dispatch(waiter, tried + 1)
    }
    upstream.once('error', refused)
    upstream.once('connect', () => {
      upstream.off('error', refused)
      this.connected(backend.replica, link)
    })
  }

  private wait(waiter: WaitingClient): void {
    const left = waiter.deadline - Date.now()
    if (left <= 0) return void waiter.socket.destroy()
    this.waiting.add(waiter)
    // with backends that all refused, try them again soon; with none, setBackends wakes us
    const delay = this.backends.length > 0 ? Math.min(RETRY_REFUSED_MS, left) : left
    waiter.timer = setTimeout(() => {
      if (this.backends.length > 0) this.dispatch(waiter)
      else this.wait(waiter)
    }, delay)
  }

  private connected(replica: string, link: BackendLink): void {
    const { upstream, client } = link
    if (client.destroyed) {
      this.links.delete(link)
      return void upstream.destroy()
    }
    const counters = this.countersFor(replica)
    counters.connections++
    counters.open.add(upstream)
    link.relay(() => {
      this.links.delete(link)
      counters.open.delete(upstream)
      counters.closedBytesIn += upstream.bytesWritten
      counters.closedBytesOut += upstream.bytesRead
    })
  }

  private countersFor(replica: string): ReplicaCounters {
    let counters = this.counters.get(replica)
    if (!counters) {
      counters = { connections: 0, closedBytesIn: 0, closedBytesOut: 0, open: new Set() }
      this.counters.set(replica, counters)
    }
    return counters
  }
}

function noop(): void {}
