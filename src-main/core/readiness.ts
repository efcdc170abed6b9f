// A replica is ready when every one of its ports accepts a TCP connection. Services bind
// "localhost" either way, so each port is tried on IPv4 then IPv6 loopback; the address
// that answered is where the proxy sends connections.
import { connect } from 'node:net'

export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const

export function acceptsOn(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => {
      socket.removeAllListeners()
      socket.on('error', () => {})
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** the loopback address a port accepts on, if any */
export async function acceptingAddress(port: number): Promise<string | undefined> {
  for (const host of LOOPBACK_ADDRESSES) {
    if (await acceptsOn(host, port)) return host
  }
  return undefined
}
