// Free internal ports for replicas and for bindings app.yaml leaves without one. The book
// remembers what it handed out: a port is only tried (listened on and closed) when handed out,
// and the replica listens on it later, so two replicas started together could otherwise get
// the same one. One book per runtime (runtime.ts).
import { readFileSync } from 'node:fs'
import { tryListen } from './ports'

/** forgotten all at once past this: a port handed out that long ago is long listened on, or let go */
const HANDED_OUT_LIMIT = 4096
const FIRST_CHOSEN_PORT = 10_000

/**
 * Where the kernel picks the local ports of outgoing connections (Linux: the ephemeral range).
 * A replica's port is chosen well before the replica listens on it (it may wait for its
 * dependencies first); a port from that range can meanwhile become the local end of some
 * outgoing connection, and the replica then fails with EADDRINUSE. Below it, nothing but a
 * listener takes a port.
 */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high)) return [low, high]
  } catch {
    // not Linux: the OS's own choice below
  }
  return undefined
}

export class PortBook {
  /** recently handed out, so two replicas started together never get the same one */
  private readonly handedOut = new Set<number>()

  /** a port free on every interface, outside the ephemeral range where there is room, not handed out lately, and none of `avoid` (ports spoken for) */
  async freePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
    const range = ephemeralRange()
    const below = range && range[0] - FIRST_CHOSEN_PORT > 1000 ? range[0] - FIRST_CHOSEN_PORT : 0
    for (let attempt = 0; attempt < 20 && below > 0; attempt++) {
      const port = FIRST_CHOSEN_PORT + Math.floor(Math.random() * below)
      if (this.handedOut.has(port) || avoid.has(port)) continue
      const result = await tryListen(port)
      if (!result.ok) continue
      this.remember(port)
      return port
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const result = await tryListen(0)
      if (!result.ok) throw new Error(`cannot find a free port: ${result.code}`)
      if (this.handedOut.has(result.port) || avoid.has(result.port)) continue
      this.remember(result.port)
      return result.port
    }
    throw new Error('cannot find a free port that was not just handed out')
  }

  private remember(port: number): void {
    if (this.handedOut.size >= HANDED_OUT_LIMIT) this.handedOut.clear()
    this.handedOut.add(port)
  }
}
