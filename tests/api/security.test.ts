import { describe, expect, it } from 'vitest'
import { hostnameOf, isLoopbackName, tokenMatches } from '../../src-main/api/security'

describe('loopback names', () => {
  it('accepts the names that can only mean this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '[::ffff:127.0.0.1]', 'localhost.']) {
      expect(isLoopbackName(hostnameOf(host) ?? ''), host).toBe(true)
    }
  })

  it('refuses names an attacker can point at 127.0.0.1 (DNS rebinding)', () => {
    for (const host of ['evil.com', 'localhost.evil.com', '127.0.0.1.nip.io', '0.0.0.0', '10.0.0.1', '128.0.0.1', '127.0.0.256', 'mylocalhost']) {
      expect(isLoopbackName(hostnameOf(host) ?? ''), host).toBe(false)
    }
  })

  it('takes the port and brackets off a Host header', () => {
    expect(hostnameOf('127.0.0.1:8000')).toBe('127.0.0.1')
    expect(hostnameOf('[::1]:8000')).toBe('::1')
    expect(hostnameOf('Localhost:1')).toBe('localhost')
    expect(hostnameOf('evil.com:8000')).toBe('evil.com')
    expect(hostnameOf('localhost:65535')).toBe('localhost')
  })

  it('reads a Host strictly: anything but host[:port] or [v6][:port] is no host at all', () => {
    for (const host of ['127.0.0.1:evil.com', '[::1]evil', '127.0.0.1:1@evil.com', 'localhost:99999', 'localhost:', 'localhost:8000:1', '::1', '[::1', '[evil.com]', '[::1]:80x', 'user@localhost', 'localhost/x', 'local host', '']) {
      expect(hostnameOf(host), host).toBeUndefined()
    }
  })
})

describe('token comparison', () => {
  it('matches only the exact token', () => {
    expect(tokenMatches('s3cret', 's3cret')).toBe(true)
    expect(tokenMatches('s3cret', 's3cre')).toBe(false)
    expect(tokenMatches('s3cret', 's3cret ')).toBe(false)
    expect(tokenMatches('s3cret', '')).toBe(false)
    expect(tokenMatches('s3cret', undefined)).toBe(false)
  })
})
