// A small route table: literal segments and `:name` parameters, one handler per method.
// A path that matches with another method answers 405 with Allow; no match answers 404.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from './http-io'

export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  params: Record<string, string>
  query: URLSearchParams
  /** the request's own base URL, e.g. http://127.0.0.1:8000 */
  baseUrl: string
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void

interface Route {
  method: string
  segments: string[]
  handler: RouteHandler
}

export class Router {
  private readonly routes: Route[] = []

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: splitPath(pattern), handler })
    return this
  }

  /** the handler and its parameters, or an ApiError (404/405); undefined when nothing matches at all */
  match(method: string, pathname: string): { handler: RouteHandler; params: Record<string, string> } | undefined {
    const segments = splitPath(pathname).map(decodeSegment)
    const allowed: string[] = []
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments)
      if (!params) continue
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params }
      allowed.push(route.method)
    }
    if (allowed.length > 0) {
      const allow = [...new Set(allowed)].join(', ')
      throw new ApiError(405, `${method} is not allowed on ${pathname}; use ${allow}`, undefined, { Allow: allow })
    }
    return undefined
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '')
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new ApiError(400, `malformed path segment '${segment}'`)
  }
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string
    const s = path[i] as string
    if (p.startsWith(':')) params[p.slice(1)] = s
    else if (p !== s) return undefined
  }
  return params
}
