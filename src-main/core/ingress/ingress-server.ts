// One ingress of Tye's: an HTTP reverse proxy on its ports that routes each request by host and
// path (ingress-routes.ts) to a service's binding port, i.e. through that binding's round-robin
// proxy, so it reaches only ready replicas and spreads over them. http-proxy-3 does the
// forwarding (headers, X-Forwarded-*, WebSocket upgrades); what matches nothing gets a 404 page
// that lists the rules, and a service that does not answer a 502 page that names it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { createProxyServer } from 'http-proxy-3'
import type { Ingress, IngressRule } from '../../../src-shared/app-model'
import { matchRoute } from './ingress-routes'

export interface IngressServerOptions {
  ingress: Ingress
  /** where a service's requests go (its binding's proxy here, or an external service's host); undefined when it has no http binding */
  target(service: string): IngressTarget | undefined
  /** one line per request and per failure, for the ingress's log */
  log(stream: 'stdout' | 'stderr', text: string): void
}

export interface IngressTarget {
  host: string
  port: number
}

export interface ListeningIngress {
  /** one per binding, in order: the port each listens on */
  ports: number[]
  close(): Promise<void>
}

/** how long a request may wait for a service's answer before the ingress gives up with a 502 */
const PROXY_TIMEOUT_MS = 120_000

export async function startIngress(options: IngressServerOptions, ports: number[]): Promise<ListeningIngress> {
  const { ingress } = options
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: PROXY_TIMEOUT_MS })
  // an error without a callback would be thrown by the library's emitter: every call passes one
  proxy.on('error', () => {})

  const route = (req: IncomingMessage): { rule: IngressRule; forwardPath: string; target: IngressTarget | undefined } | undefined => {
    const match = matchRoute(ingress.rules, req.headers.host, req.url ?? '/')
    return match && { ...match, target: options.target(match.rule.service) }
  }
  const url = (scheme: string, target: IngressTarget) => `${scheme}://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now()
    const match = route(req)
    if (!match) {
      options.log('stdout', `${req.method} ${req.headers.host ?? ''}${req.url} -> no rule (404)`)
      page(res, 404, 'No route', `No rule of ingress "${ingress.name}" matches ${req.headers.host ?? ''}${req.url}.`, ruleList(ingress.rules))
      return
    }
    const { rule, forwardPath, target } = match
    if (target === undefined) {
      options.log('stderr', `${req.method} ${req.url} -> ${rule.service}: it has no http binding (502)`)
      page(res, 502, 'Bad gateway', `Service "${rule.service}" has no http binding to send this request to.`)
      return
    }
    req.url = forwardPath
    res.on('finish', () => options.log('stdout', `${req.method} ${req.headers.host ?? ''}${forwardPath} -> ${rule.service} (${res.statusCode}, ${Date.now() - started} ms)`))
    proxy.web(req, res, { target: url('http', target) }, (error) => {
      options.log('stderr', `${req.method} ${forwardPath} -> ${rule.service}: ${(error as Error).message} (502)`)
      if (!res.headersSent) page(res, 502, 'Bad gateway', `Service "${rule.service}" did not answer (${(error as Error).message}). Is a replica ready?`)
      else res.destroy()
    })
  }

  // an upgraded connection leaves the server's books: without this, close() would wait for it forever
  const upgraded = new Set<Duplex>()
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    upgraded.add(socket)
    socket.once('close', () => upgraded.delete(socket))
    const match = route(req)
    if (!match || match.target === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    req.url = match.forwardPath
    proxy.ws(req, socket, head, { target: url('ws', match.target) }, (error) => {
      options.log('stderr', `upgrade ${match.forwardPath} -> ${match.rule.service}: ${(error as Error).message}`)
      socket.destroy()
    })
  }

  const servers: Server[] = []
  const listening: number[] = []
  try {
    for (const [i, binding] of ingress.bindings.entries()) {
      const server = createServer(onRequest)
      server.on('upgrade', onUpgrade)
      const host = binding.ip === '*' ? undefined : binding.ip
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(ports[i] ?? 0, host, () => {
          server.off('error', reject)
          resolve()
        })
      })
      servers.push(server)
      listening.push((server.address() as { port: number }).port)
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer))
    proxy.close()
    const port = ports[servers.length]
    throw new Error(`ingress "${ingress.name}": cannot listen on port ${port}: ${(error as Error).message}`, { cause: error })
  }
  return {
    ports: listening,
    async close() {
      for (const socket of upgraded) socket.destroy()
      await Promise.all(servers.map(closeServer))
      proxy.close()
    },
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

function ruleList(rules: readonly IngressRule[]): string[] {
  return rules.map((r) => `${r.host ?? '*'}${r.path ?? '/'} -> ${r.service}${r.preservePath ? ' (path kept)' : ''}`)
}

function page(res: ServerResponse, status: number, title: string, message: string, items: string[] = []): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const list = items.length > 0 ? `<p>Its rules:</p><ul>${items.map((i) => `<li><code>${escape(i)}</code></li>`).join('')}</ul>` : ''
  const body = `<!doctype html><meta charset="utf-8"><title>${status} ${escape(title)}</title><h1>${status} ${escape(title)}</h1><p>${escape(message)}</p>${list}<p><small>Micronetes ingress</small></p>\n`
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
  res.end(body)
}
