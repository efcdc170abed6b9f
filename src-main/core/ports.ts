// Ports: free internal ones for replicas, and the check that every binding port can be
// taken before anything starts, so a conflict fails the whole start with a clear message
// instead of leaving half an application running.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { findPortOwner } from './port-owner'

/** recently handed out, so two replicas started together never get the same one */
const handedOut = new Set<number>()
const HANDED_OUT_LIMIT = 4096

function tryListen(port: number, host?: string): Promise<{ ok: true; port: number } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, code: err.code ?? 'EUNKNOWN' }))
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.close(() => resolve({ ok: true, port: bound }))
    })
  })
}

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

const FIRST_CHOSEN_PORT = 10_000

/** a port free on every interface, outside the ephemeral range where there is room, and none of `avoid` (ports spoken for) */
export async function freePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const range = ephemeralRange()
  const below = range && range[0] - FIRST_CHOSEN_PORT > 1000 ? range[0] - FIRST_CHOSEN_PORT : 0
  for (let attempt = 0; attempt < 20 && below > 0; attempt++) {
    const port = FIRST_CHOSEN_PORT + Math.floor(Math.random() * below)
    if (handedOut.has(port) || avoid.has(port)) continue
    const result = await tryListen(port)
    if (!result.ok) continue
    remember(port)
    return port
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = await tryListen(0)
    if (!result.ok) throw new Error(`cannot find a free port: ${result.code}`)
    if (handedOut.has(result.port) || avoid.has(result.port)) continue
    remember(result.port)
    return result.port
  }
  throw new Error('cannot find a free port that was not just handed out')
}

function remember(port: number): void {
  if (handedOut.size >= HANDED_OUT_LIMIT) handedOut.clear()
  handedOut.add(port)
}

export interface PortClaim {
  port: number
  service: string
  binding?: string
}

export class PortConflictError extends Error {
  constructor(
    message: string,
    readonly claims: PortClaim[],
  ) {
    super(message)
    this.name = 'PortConflictError'
  }
}

function claimName(claim: PortClaim): string {
  return claim.binding ? `service ${claim.service} (binding ${claim.binding})` : `service ${claim.service}`
}

/** whether the proxy could listen on the port, on both loopback addresses */
export async function portProblem(claim: PortClaim): Promise<string | undefined> {
  for (const host of ['127.0.0.1', '::1']) {
    const result = await tryListen(claim.port, host)
    if (result.ok) continue
    // a machine without IPv6 loopback is fine: the proxy skips it too
    if (host === '::1' && (result.code === 'EADDRNOTAVAIL' || result.code === 'EAFNOSUPPORT')) continue
    if (result.code === 'EADDRINUSE') {
      const owner = findPortOwner(claim.port)
      const by = owner ? ` by process ${owner.pid}${owner.commandLine ? ` (${owner.commandLine})` : ''}` : ' by another program'
      return `port ${claim.port} of ${claimName(claim)} is already in use${by}`
    }
    if (result.code === 'EACCES') return `port ${claim.port} of ${claimName(claim)} needs privileges to listen on (ports below 1024 are reserved)`
    return `port ${claim.port} of ${claimName(claim)} cannot be listened on: ${result.code}`
  }
  return undefined
}

/** checks every claim; throws one PortConflictError naming every port that cannot be taken */
export async function checkPorts(claims: PortClaim[]): Promise<void> {
  const problems: string[] = []
  const seen = new Map<number, PortClaim>()
  for (const claim of claims) {
    const earlier = seen.get(claim.port)
    if (earlier) {
      problems.push(`port ${claim.port} is claimed by both ${claimName(earlier)} and ${claimName(claim)}`)
      continue
    }
    seen.set(claim.port, claim)
    const problem = await portProblem(claim)
    if (problem) problems.push(problem)
  }
  if (problems.length > 0) throw new PortConflictError(problems.join('\n'), claims)
}
