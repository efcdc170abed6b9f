import net from 'node:net'

/** a loopback port free right now (the OS picks it); the caller binds it soon after */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, resolve)
  })
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

import type { Started } from './processes'

/** resolves once host:port accepts a connection; rejects with its stderr if `owner` dies first */
export async function waitForPort(port: number, owner?: Started, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (owner && owner.child.exitCode !== null) {
      throw new Error(`${owner.child.spawnfile} exited with code ${owner.child.exitCode} before listening on ${port}: ${owner.stderrTail().trim()}`)
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host)
      socket.once('connect', () => { socket.destroy(); resolve(true) })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing accepted on ${host}:${port} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
