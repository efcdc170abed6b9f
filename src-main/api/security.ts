// Any web page the developer visits can make their browser call 127.0.0.1. These checks keep
// such a page from reading the API through DNS rebinding (Host), from changing state through
// simple cross-site requests (Origin, content type), and optionally require a shared token.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { ApiError } from './http-io'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The host part of a Host header or URL authority (`host[:port]`, `[v6][:port]`), lower-cased,
 * without port or brackets; undefined for anything else. Strict on purpose: a lenient reading
 * of `127.0.0.1:1@evil.com` or `[::1]evil` finds a loopback name in what a browser or proxy may
 * take for another host.
 */
export function hostnameOf(authority: string): string | undefined {
  const value = authority.trim().toLowerCase()
  let host: string
  let rest: string
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0) return undefined
    host = value.slice(1, end)
    if (isIP(host) !== 6) return undefined
    rest = value.slice(end + 1)
  } else {
    const colon = value.indexOf(':')
    host = colon < 0 ? value : value.slice(0, colon)
    if (!REG_NAME.test(host)) return undefined
    rest = colon < 0 ? '' : value.slice(colon)
  }
  if (rest === '') return host
  const port = /^:(\d{1,5})$/.exec(rest)?.[1]
  return port !== undefined && Number(port) <= 65535 ? host : undefined
}

/** a name or IPv4 address: letters, digits, dots, hyphens and underscores, nothing else */
const REG_NAME = /^[a-z0-9._-]+$/

/** localhost, *.localhost (browsers resolve these to loopback themselves), 127.0.0.0/8 and ::1. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true
  if (name.startsWith('::ffff:')) return isLoopbackName(name.slice('::ffff:'.length))
  const octets = name.split('.')
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
}

export function checkHost(req: IncomingMessage): void {
  const host = req.headers.host
  if (!host) throw new ApiError(403, 'refused: the request has no Host header')
  const hostname = hostnameOf(host)
  if (hostname === undefined) throw new ApiError(403, `refused: Host '${host}' is not a host name with an optional port`)
  if (!isLoopbackName(hostname)) {
    throw new ApiError(403, `refused: Host '${host}' is not a loopback name (use 127.0.0.1 or localhost)`)
  }
}

/**
 * A browser sends Origin on cross-site requests. Only the API's own origin (any loopback name on
 * the same port) may call it; requests without Origin (curl, scripts, Tye's clients) pass.
 */
export function checkOrigin(req: IncomingMessage, serverPort: number): void {
  const origin = req.headers.origin
  if (origin === undefined) return
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    throw new ApiError(403, `refused: foreign Origin '${origin}'`)
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port)
  const hostname = hostnameOf(url.host)
  const sameSite = (url.protocol === 'http:' || url.protocol === 'https:') && hostname !== undefined && isLoopbackName(hostname) && port === serverPort
  if (!sameSite) throw new ApiError(403, `refused: foreign Origin '${origin}'`)
}

/**
 * A cross-site form or simple fetch can only send text/plain, form or multipart bodies; a JSON
 * content type forces a CORS preflight, which this server never grants.
 */
export function checkContentType(req: IncomingMessage): void {
  if (!STATE_CHANGING.has(req.method ?? '')) return
  // a bodiless DELETE (Tye's shutdown) carries nothing to smuggle, and DELETE is no "simple"
  // method: a cross-site page cannot send it without the preflight this server never grants
  if (req.method === 'DELETE' && !hasBody(req)) return
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new ApiError(415, `refused: ${req.method} needs 'Content-Type: application/json' (got '${req.headers['content-type'] ?? 'none'}')`)
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

export function isStateChanging(method: string | undefined): boolean {
  return STATE_CHANGING.has(method ?? '')
}

/** Compares a presented token with the expected one in time independent of where they differ. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false
  // hashing first gives equal lengths, so timingSafeEqual never leaks the length either
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(presented).digest()
  return timingSafeEqual(a, b)
}

/** `Authorization: Bearer <token>`, or `?token=` for EventSource, which cannot set headers. */
export function checkToken(req: IncomingMessage, params: URLSearchParams, expected: string | undefined): void {
  if (!expected) return
  const header = req.headers.authorization
  const bearer = header && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : undefined
  const presented = bearer ?? params.get('token') ?? undefined
  if (!tokenMatches(expected, presented)) {
    throw new ApiError(401, presented === undefined ? 'a token is required: send Authorization: Bearer <token>' : 'wrong token', undefined, {
      'WWW-Authenticate': 'Bearer realm="micronetes"',
    })
  }
}
