// Whether this runtime can put several listening sockets on one port (SO_REUSEPORT through
// Node's `reusePort` listen option: Node 22.12+ and 23.1+, on Linux and the BSDs). Where it can,
// each proxy thread listens on the binding port itself and the kernel spreads new connections
// across the threads; where it cannot (Node 20, macOS, Windows), one proxy thread serves them all.
import { availableParallelism } from 'node:os'
import net from 'node:net'

/** more threads than this only add context switches for a developer machine's traffic */
const MAX_PROXY_THREADS = 4

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    // an older Node ignores the unknown option, so the second listen fails with EADDRINUSE
    server.listen({ port, host: '127.0.0.1', reusePort: true } as net.ListenOptions, () => {
      server.off('error', reject)
      resolve((server.address() as net.AddressInfo).port)
    })
  })
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
}

/** two sockets on one loopback port, then closed */
async function probePortSharing(): Promise<boolean> {
  const first = net.createServer()
  const second = net.createServer()
  try {
    const port = await listen(first, 0)
    await listen(second, port)
    return true
  } catch {
    return false
  } finally {
    await Promise.all([close(first), close(second)])
  }
}

/** what the thread pool (proxy-host.ts) learns once: whether its threads can share a port */
export class PortSharing {
  private probe: Promise<boolean> | undefined

  /** tried on the first call, the answer kept: the Node runtime and the OS do not change under us */
  canShare(): Promise<boolean> {
    this.probe ??= probePortSharing()
    return this.probe
  }

  /**
   * Threads for one binding: `requested` (or MICRONETES_PROXY_THREADS, or one per core) capped to
   * MAX_PROXY_THREADS, and 1 where the port cannot be shared.
   */
  async threadCount(requested?: number): Promise<number> {
    return (await this.canShare()) ? wantedProxyThreads(requested) : 1
  }
}

/** `requested`, else MICRONETES_PROXY_THREADS, else one per core; at most MAX_PROXY_THREADS */
export function wantedProxyThreads(requested?: number): number {
  const fromEnv = Number(process.env.MICRONETES_PROXY_THREADS)
  const wanted = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism())
  return Math.max(1, Math.min(wanted, MAX_PROXY_THREADS))
}
