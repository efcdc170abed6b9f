// Listens on the binding port on both loopback addresses, so `localhost` reaches the proxy
// whether it resolves to 127.0.0.1 or ::1. A machine without IPv6 keeps the IPv4 listener.
// Several proxy threads may share the port (see shared-port.ts): the first creates the group,
// the others join it.
import type net from 'node:net'

export interface ListenTarget {
  port: number
  service: string
  binding?: string
}

/** errors that mean "this machine has no ::1", not "someone else holds the port" */
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT'])

function describe(target: ListenTarget, port: number): string {
  const binding = target.binding ? `, binding ${target.binding}` : ''
  return `port ${port} (service ${target.service}${binding})`
}

/**
 * `none`: this socket alone holds the port. `create`: the first of the threads sharing the port,
 * `join`: one of the others (all the port's sockets must ask to share it).
 */
export type PortSharing = 'none' | 'create' | 'join'

function listenOn(server: net.Server, host: string, port: number, reusePort = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    const options = { host, port, ipv6Only: host === '::1', exclusive: true, reusePort }
    server.listen(options as net.ListenOptions, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
  })
}

/**
 * Binds `makeServer()` instances on 127.0.0.1 and ::1 at the same port. Port 0 picks a port
 * free on both. Rejects with a message naming the port and service when the port is taken.
 */
export async function listenOnLoopback(
  target: ListenTarget,
  makeServer: () => net.Server,
  sharing: PortSharing = 'none',
): Promise<{ port: number; servers: net.Server[] }> {
  if (sharing === 'none') return listenBoth(target, makeServer, false)
  // a joining thread is given the port the group holds
  if (sharing === 'join') return listenBoth(target, makeServer, true)
  // sockets that share a port do not see each other as taken, so another program sharing it
  // (a second Micronetes on the same port) would split the connections silently: first take the
  // port alone, which fails as usual when anyone holds it, then let go and take it shared
  const attempts = target.port === 0 ? 5 : 1
  for (let attempt = 1; ; attempt++) {
    const alone = await listenBoth(target, makeServer, false)
    await Promise.all(alone.servers.map(closeServer))
    try {
      return await listenBoth({ ...target, port: alone.port }, makeServer, true)
    } catch (error) {
      // a port picked by the system was taken in the moment between: pick again
      if (attempt < attempts && target.port === 0) continue
      throw error
    }
  }
}

async function listenBoth(
  target: ListenTarget,
  makeServer: () => net.Server,
  reusePort: boolean,
): Promise<{ port: number; servers: net.Server[] }> {
  // with port 0 the IPv4 pick may be taken on ::1 by someone else: try a few picks
  const attempts = target.port === 0 ? 5 : 1
  for (let attempt = 1; ; attempt++) {
    const v4 = makeServer()
    try {
      await listenOn(v4, '127.0.0.1', target.port, reusePort)
    } catch (error) {
      throw listenError(target, target.port, '127.0.0.1', error)
    }
    const port = (v4.address() as net.AddressInfo).port
    const v6 = makeServer()
    try {
      await listenOn(v6, '::1', port, reusePort)
      return { port, servers: [v4, v6] }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (NO_IPV6.has(code)) return { port, servers: [v4] }
      await closeServer(v4)
      if (attempt < attempts && code === 'EADDRINUSE') continue
      throw listenError(target, port, '::1', error)
    }
  }
}

/** the message for a port that cannot be listened on, naming the port, service and binding */
export function listenError(target: ListenTarget, port: number, host: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code
  const what = describe(target, port)
  if (code === 'EADDRINUSE') {
    return new Error(`Cannot start the proxy on ${what}: ${host}:${port} is already in use by another process`)
  }
  if (code === 'EACCES') {
    return new Error(`Cannot start the proxy on ${what}: permission denied to listen on ${host}:${port}`)
  }
  return new Error(`Cannot start the proxy on ${what}: ${(error as Error).message}`)
}
