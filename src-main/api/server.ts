// The HTTP API and the web dashboard's home, on loopback only. Every request passes the same
// gate (Host, Origin, token, content type) before a route sees it; see docs/api.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIP } from 'node:net'
import type { SessionHost } from '../core/session-host'
import { registerControlRoutes } from './control-routes'
import { defaultDashboardDir, serveDashboard } from './dashboard-files'
import { registerEventStream, type EventStreamOptions } from './event-stream'
import { ApiError, errorCodeOf, sendError } from './http-io'
import { registerLogsRoute } from './logs-route'
import { registerMetricsRoutes } from './metrics-route'
import { registerReadRoutes, registerServiceAlias } from './read-routes'
import { Router } from './router'
import { StreamLimit } from './stream-limit'
import { checkContentType, checkHost, checkOrigin, checkToken, isLoopbackName } from './security'

export const DEFAULT_API_PORT = 8000

export interface ApiServerOptions {
  session: SessionHost
  /** undefined: 8000, or a free port when 8000 is taken; 0: any free port */
  port?: number
  /** a loopback address; default 127.0.0.1 */
  host?: string
  /** required on every API request when set; default: MICRONETES_TOKEN */
  token?: string
  /** DELETE /api/v1/control (Tye's shutdown) calls it; without it that route answers 409 */
  onShutdown?: () => void
  /** the built dashboard; default out/renderer of this package; null: serve no dashboard */
  dashboardDir?: string | null
  events?: EventStreamOptions
  /** open event streams and followed logs at most (default 64) */
  maxStreams?: number
  /** bounds on receiving one request: its headers, and the whole of it (default 10 s, 15 s) */
  timeouts?: { headersMs?: number; requestMs?: number }
}

export interface ApiServer {
  url: string
  port: number
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      server.off('error', onError)
      const address = server.address()
      resolvePort(typeof address === 'object' && address ? address.port : port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

/** `//x/y` is a path here, not a host: join, never resolve, an origin-form target */
function requestUrl(target: string | undefined): URL {
  const raw = target ?? '/'
  try {
    return raw.startsWith('/') ? new URL(`http://localhost${raw}`) : new URL(raw)
  } catch {
    throw new ApiError(400, `malformed request target '${raw}'`)
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1'
  if (isIP(host) === 0 || !isLoopbackName(host)) {
    throw new Error(`API server: host '${host}' is not a loopback address; it listens on 127.0.0.1 or ::1 only`)
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new Error(`API server: port ${options.port} is not a port number (0-65535)`)
  }
  const token = options.token ?? (process.env.MICRONETES_TOKEN || undefined)
  const dashboardDir = options.dashboardDir === undefined ? defaultDashboardDir() : options.dashboardDir
  const { session } = options

  const router = new Router()
  const streams = new StreamLimit(options.maxStreams)
  registerReadRoutes(router, session)
  registerLogsRoute(router, session, streams)
  registerMetricsRoutes(router, session)
  registerControlRoutes(router, session, options.onShutdown)
  registerEventStream(router, session, streams, options.events)
  registerServiceAlias(router, session)

  let port = 0
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      checkHost(req)
      const url = requestUrl(req.url)
      const { pathname } = url
      checkOrigin(req, port)
      // the router ignores empty segments, so `//api/...` is the API too and must pass its checks
      const isApi = /^\/+api(?:\/|$)/.test(pathname)
      if (!isApi) {
        if (dashboardDir === null) throw new ApiError(404, 'the web dashboard is off (micronetes run --no-dashboard); the API is under /api/v1')
        await serveDashboard(req, res, pathname, dashboardDir)
        return
      }
      checkToken(req, url.searchParams, token)
      const route = router.match(req.method ?? 'GET', pathname)
      if (!route) throw new ApiError(404, `no route ${req.method} ${pathname}; GET /api/v1 lists them`)
      checkContentType(req)
      await route.handler({ req, res, params: route.params, query: url.searchParams, baseUrl: `http://${req.headers.host}` })
    } catch (err) {
      if (res.headersSent) res.destroy()
      else sendError(res, err)
    }
  }

  const headersMs = options.timeouts?.headersMs ?? 10_000
  const requestMs = Math.max(options.timeouts?.requestMs ?? 15_000, headersMs)
  const server = createServer(
    // Node checks those bounds every connectionsCheckingInterval (30 s by default): check often
    // enough that a client trickling its request in is cut off close to the bound
    { headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: Math.min(1000, headersMs) },
    (req, res) => void handle(req, res),
  )
  // A client may close its sending side once its request is out (HTTP allows it: a half-close
  // does not end a request). Node's server then drops a request not yet answered and ends the
  // socket, which cut off every answer that waits for anything (the dashboard's files are read
  // from disk first). This Node field, unlisted in its types, makes it answer first, then close.
  ;(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  // answers that stream (events, followed logs) are not bounded: only receiving the request is
  server.keepAliveTimeout = 5_000
  server.maxHeadersCount = 100
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy()
      return
    }
    const [status, reason, message] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'request headers too large']
      : [400, 'Bad Request', 'malformed HTTP request']
    const body = JSON.stringify({ message, code: errorCodeOf(status) })
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  })

  if (options.port === undefined) {
    try {
      port = await listen(server, DEFAULT_API_PORT, host)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
      port = await listen(server, 0, host)
    }
  } else {
    try {
      port = await listen(server, options.port, host)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`API server: port ${options.port} on ${host} is already in use; pick another with --port`, { cause: err })
      }
      throw err
    }
  }

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  session.setApiUrl(url)
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose())
        // event streams and followed logs never end by themselves
        server.closeAllConnections()
      }),
  }
}
