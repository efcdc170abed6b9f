// A replica is ready when every one of its ports accepts a TCP connection. Services bind
// "localhost" either way, so each port is tried on IPv4 then IPv6 loopback; the address
// that answered is where the proxy sends connections.
import { connect } from 'node:net'

export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const

/**
 * Docker's port forwarder accepts on the host before anything listens in the container,
 * then drops the connection: for containers a port only counts once a connection it
 * accepted stays open for holdMs.
 */
export const CONTAINER_HOLD_MS = 150

export function acceptsOn(host: string, port: number, holdMs = 0, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    let settled = false
    let hold: NodeJS.Timeout | undefined
    const done = (ok: boolean): void => {
      if (settled) return
      settled = true
      if (hold) clearTimeout(hold)
      socket.removeAllListeners()
      socket.on('error', () => {})
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => {
      if (holdMs <= 0) return done(true)
      socket.setTimeout(0)
      socket.once('end', () => done(false))
      socket.once('close', () => done(false))
      socket.on('data', () => {})
      hold = setTimeout(() => done(true), holdMs)
    })
  })
}

/** the loopback address a port accepts on, if any */
export async function acceptingAddress(port: number, holdMs = 0): Promise<string | undefined> {
  for (const host of LOOPBACK_ADDRESSES) {
    if (await acceptsOn(host, port, holdMs)) return host
  }
  return undefined
}
