// Real-socket helpers for the proxy tests: small backends, clients, and free ports.
import net from 'node:net'
import type { BindingProxy, ProxyOptions } from '../../../src-main/core/proxy-types'
import { ProxyEngines } from '../../../src-main/core/proxy/proxy-engines'

/** the proxy engines of the test file importing this one (vitest gives each file its own modules): its relay and thread pool */
export const engines = new ProxyEngines()

export interface Backend {
  name: string
  port: number
  server: net.Server
  sockets: Set<net.Socket>
}

/** a server on 127.0.0.1 port 0; `onSocket` decides what it does with each connection */
export async function startBackend(name: string, onSocket: (socket: net.Socket) => void): Promise<Backend> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return { name, port: (server.address() as net.AddressInfo).port, server, sockets }
}

/** a backend that answers each connection with its own name, then closes */
export function namedBackend(name: string): Promise<Backend> {
  return startBackend(name, (socket) => socket.end(name))
}

export async function stopBackend(backend: Backend): Promise<void> {
  for (const socket of backend.sockets) socket.destroy()
  await new Promise<void>((resolve) => backend.server.close(() => resolve()))
}

/** a port nobody listens on: bound, then released */
export async function refusedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface Reply {
  data: string
  /** how the connection ended */
  closedAfterMs: number
}

/** connects, optionally sends, and collects everything until the proxy closes the connection */
export function request(port: number, host = '127.0.0.1', send?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const socket = net.connect({ port, host })
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ data: Buffer.concat(chunks).toString(), closedAfterMs: Date.now() - started }))
    if (send !== undefined) socket.end(send)
  })
}

export async function ipv6Available(): Promise<boolean> {
  const server = net.createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '::1', resolve)
    })
    await new Promise<void>((resolve) => server.close(() => resolve()))
    return true
  } catch {
    return false
  }
}

/** true when something accepts on host:port */
export function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/** polls `check` until it holds; fails naming `what` after 10 s */
export async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * A proxy on port 0 in front of named backends (one per name); both are pushed onto the lists
 * the test file cleans up after each test.
 */
export async function proxyWithNamedBackends(
  options: Partial<ProxyOptions>,
  names: string[],
  cleanup: { proxies: BindingProxy[]; backends: Backend[] },
): Promise<BindingProxy> {
  const list = await Promise.all(names.map(namedBackend))
  cleanup.backends.push(...list)
  const p = await engines.start({ port: 0, service: 'web', ...options })
  cleanup.proxies.push(p)
  p.setBackends(list.map((b) => ({ replica: b.name, host: '127.0.0.1', port: b.port })))
  return p
}
