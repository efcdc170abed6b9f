// Which rule of an ingress takes a request, as Tye routes them: a rule matches when its host
// (if any) is the request's Host without its port, and its path (if any) is a prefix of the
// request's path at a "/" boundary, both without case. Among the matches the most specific
// wins: a host beats no host, then the longest path. Unless the rule preserves it, the prefix
// is cut from the path the service sees.
import type { IngressRule } from '../../../src-shared/app-model'

export interface RouteMatch {
  rule: IngressRule
  /** the path and query to send to the service */
  forwardPath: string
}

/** the Host header without its port, lower case; [::1]:80 is ::1 */
export function hostOf(header: string | undefined): string {
  if (header === undefined) return ''
  const host = header.trim().toLowerCase()
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined)
  const colon = host.indexOf(':')
  return colon < 0 ? host : host.slice(0, colon)
}

export function matchRoute(rules: readonly IngressRule[], hostHeader: string | undefined, url: string): RouteMatch | undefined {
  const host = hostOf(hostHeader)
  const queryAt = url.search(/[?#]/)
  const path = queryAt < 0 ? url : url.slice(0, queryAt)
  const query = queryAt < 0 ? '' : url.slice(queryAt)
  const lowerPath = path.toLowerCase()
  let best: { rule: IngressRule; score: number } | undefined
  for (const rule of rules) {
    if (rule.host !== undefined && rule.host !== host) continue
    const prefix = rule.path === undefined || rule.path === '/' ? '' : rule.path.toLowerCase()
    if (prefix !== '' && !(lowerPath === prefix || lowerPath.startsWith(`${prefix}/`))) continue
    const score = (rule.host !== undefined ? 100_000 : 0) + prefix.length
    if (best === undefined || score > best.score) best = { rule, score }
  }
  if (!best) return undefined
  const { rule } = best
  const prefixLength = rule.path === undefined || rule.path === '/' ? 0 : rule.path.length
  const rest = rule.preservePath ? path : path.slice(prefixLength)
  return { rule, forwardPath: `${rest.startsWith('/') ? rest : `/${rest}`}${query}` }
}
