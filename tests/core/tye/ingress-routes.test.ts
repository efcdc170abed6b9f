// The ingress's choice of rule, on its own: hosts and path prefixes without case, at "/"
// boundaries, the most specific winning, the prefix trimmed unless kept.
import { describe, expect, it } from 'vitest'
import { hostOf, matchRoute } from '../../../src-main/core/ingress/ingress-routes'
import type { IngressRule } from '../../../src-shared/app-model'

const rules: IngressRule[] = [
  { service: 'catchall', preservePath: false },
  { service: 'api', path: '/api', preservePath: false },
  { service: 'v2', path: '/api/v2', preservePath: true },
  { service: 'b', host: 'b.example.com', preservePath: false },
  { service: 'b-admin', host: 'b.example.com', path: '/admin', preservePath: false },
]

const route = (host: string | undefined, url: string) => {
  const match = matchRoute(rules, host, url)
  return match && [match.rule.service, match.forwardPath]
}

describe('ingress routes', () => {
  it('takes the longest matching prefix, at a "/" boundary, without case, and trims it unless kept', () => {
    expect(route('localhost:8080', '/API/users?page=2')).toEqual(['api', '/users?page=2'])
    expect(route('localhost', '/api')).toEqual(['api', '/'])
    expect(route('localhost', '/api/v2/x')).toEqual(['v2', '/api/v2/x'])
    expect(route('localhost', '/apiary')).toEqual(['catchall', '/apiary'])
  })

  it('prefers a rule with a matching host, then its longest path; hosts compare without case or port', () => {
    expect(route('B.Example.com:8080', '/api/x')).toEqual(['b', '/api/x'])
    expect(route('b.example.com', '/admin/users')).toEqual(['b-admin', '/users'])
    expect(route('c.example.com', '/admin')).toEqual(['catchall', '/admin'])
  })

  it('matches nothing when no rule covers the request', () => {
    expect(matchRoute([{ service: 'a', path: '/a', preservePath: false }], 'localhost', '/b')).toBeUndefined()
    expect(matchRoute([{ service: 'a', host: 'a.test', preservePath: false }], 'b.test', '/')).toBeUndefined()
  })

  it('reads a Host header with a port or an IPv6 address', () => {
    expect(hostOf('Example.COM:443')).toBe('example.com')
    expect(hostOf('[::1]:8080')).toBe('::1')
    expect(hostOf(undefined)).toBe('')
  })
})
