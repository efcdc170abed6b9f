// The check that every binding port can be taken before anything starts, so a conflict fails
// the whole start with a clear message instead of leaving half an application running. Free
// ports for replicas: port-book.ts.
import { createServer } from 'node:net'
import { findPortOwner } from './port-owner'

/** whether a port can be listened on right now (0: any the OS picks), tried by listening and closing again */
export function tryListen(port: number, host?: string): Promise<{ ok: true; port: number } | { ok: false; code: string }> {
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
