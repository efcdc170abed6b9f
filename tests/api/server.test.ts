// The server itself: its port, its loopback-only rule, and the dashboard's home at /.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'
import { openStream, request, waitFor } from './http-client'

const base = mkdtempSync(join(tmpdir(), 'micronetes-api-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('API server', () => {
  it('takes 8000 by default, or a free port when 8000 is taken', async () => {
    // hold 8000 ourselves when we can; when another program holds it, the rule is the same
    const holder: Server = createServer()
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve())
      holder.listen(8000, '127.0.0.1', () => resolve())
    })
    const session = new Session()
    const api = await startApiServer({ session })
    try {
      expect(api.port).not.toBe(8000)
      expect(api.url).toBe(`http://127.0.0.1:${api.port}`)
      expect(session.info().apiUrl).toBe(api.url)
      expect((await request(`${api.url}/api/v1`)).status).toBe(200)
    } finally {
      await api.close()
      await new Promise<void>((resolve) => (holder.listening ? holder.close(() => resolve()) : resolve()))
    }
  })

  it('says which port is taken when asked for a busy one', async () => {
    const first = await startApiServer({ session: new Session(), port: 0 })
    try {
      await expect(startApiServer({ session: new Session(), port: first.port })).rejects.toThrow(new RegExp(`port ${first.port} .*already in use`))
    } finally {
      await first.close()
    }
  })

  it('refuses to listen beyond loopback', async () => {
    await expect(startApiServer({ session: new Session(), port: 0, host: '0.0.0.0' })).rejects.toThrow(/not a loopback address/)
  })

  it('cuts off a client that trickles its request in, and serves others meanwhile', async () => {
    const api = await startApiServer({ session: new Session(), port: 0, timeouts: { headersMs: 500, requestMs: 800 } })
    const socket = connect(api.port, '127.0.0.1')
    try {
      let answer = ''
      socket.setEncoding('utf8')
      socket.on('data', (c: string) => (answer += c))
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
      socket.write('GET /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      // one header line every 200 ms, never the blank line that ends them
      const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200)
      expect((await request(`${api.url}/api/v1`)).status).toBe(200)
      await closed
      clearInterval(trickle)
      expect(answer).toMatch(/^HTTP\/1\.1 408/)
    } finally {
      socket.destroy()
      await api.close()
    }
  })

  it('takes its token from MICRONETES_TOKEN when none is given', async () => {
    const saved = process.env.MICRONETES_TOKEN
    process.env.MICRONETES_TOKEN = 'from-the-environment'
    try {
      const api = await startApiServer({ session: new Session(), port: 0 })
      try {
        expect((await request(`${api.url}/api/v1`)).status).toBe(401)
        expect((await request(`${api.url}/api/v1`, { headers: { Authorization: 'Bearer from-the-environment' } })).status).toBe(200)
        // the dashboard's files hold no data and load without it
        expect((await request(`${api.url}/`)).status).not.toBe(401)
      } finally {
        await api.close()
      }
    } finally {
      if (saved === undefined) delete process.env.MICRONETES_TOKEN
      else process.env.MICRONETES_TOKEN = saved
    }
  })

  it('bounds how many streams are open, and frees a place when one closes', async () => {
    const api = await startApiServer({ session: new Session(), port: 0, maxStreams: 2 })
    const open = [await openStream(`${api.url}/api/v1/events`), await openStream(`${api.url}/api/v1/events`)]
    try {
      expect(open.map((s) => s.status)).toEqual([200, 200])
      const refused = await request(`${api.url}/api/v1/events`)
      expect(refused.status).toBe(503)
      expect(refused.json<{ message: string }>().message).toMatch(/too many streams open \(2\)/)
      open.pop()?.close()
      const third = await waitFor(async () => {
        const s = await openStream(`${api.url}/api/v1/events`)
        if (s.status === 200) return s
        s.close()
        return undefined
      }, 'a free place')
      open.push(third)
    } finally {
      for (const s of open) s.close()
      await api.close()
    }
  })

  it('answers 503 on application routes while no application runs', async () => {
    const api = await startApiServer({ session: new Session(), port: 0 })
    try {
      for (const path of ['/api/v1/services', '/api/v1/application', '/api/v1/metrics']) {
        const answer = await request(`${api.url}${path}`)
        expect(answer.status, path).toBe(503)
        expect(answer.json<{ message: string }>().message).toMatch(/no application is running/)
      }
    } finally {
      await api.close()
    }
  })
})

describe('the dashboard at /', () => {
  it('serves the built files with their content type and a strict CSP', async () => {
    const dir = join(base, 'renderer')
    mkdirSync(join(dir, 'assets'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dash</title>')
    writeFileSync(join(dir, 'assets', 'index-1a2b3c4d.js'), 'export {}')
    writeFileSync(join(dir, 'assets', 'index-1a2b3c4d.css'), 'body{}')
    writeFileSync(join(base, 'outside.txt'), 'secret')
    const api = await startApiServer({ session: new Session(), port: 0, dashboardDir: dir })
    try {
      const page = await request(`${api.url}/`)
      expect(page.status).toBe(200)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'/)
      expect(page.headers['x-frame-options']).toBe('DENY')
      expect(page.text).toContain('<title>dash</title>')
      expect((await request(`${api.url}/assets/index-1a2b3c4d.js`)).headers['content-type']).toBe('text/javascript; charset=utf-8')
      expect((await request(`${api.url}/assets/index-1a2b3c4d.css`)).headers['content-type']).toBe('text/css; charset=utf-8')
      expect((await request(`${api.url}/services/web`)).text).toContain('<title>dash</title>')
      expect((await request(`${api.url}/assets/missing.js`)).status).toBe(404)
      for (const path of ['/../outside.txt', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/..%2Foutside.txt', '/assets/..%2F..%2Foutside.txt']) {
        const answer = await request(api.url, { rawPath: path })
        expect(answer.text, path).not.toContain('secret')
        expect([400, 404], path).toContain(answer.status)
      }
      expect((await request(`${api.url}/`, { method: 'POST', headers: { 'Content-Type': 'application/json' } })).status).toBe(405)
      expect((await request(`${api.url}/`, { headers: { Host: 'evil.example' } })).status).toBe(403)
    } finally {
      await api.close()
    }
  })

  it('says clearly when the dashboard is not built, and the API still works', async () => {
    const api = await startApiServer({ session: new Session(), port: 0, dashboardDir: join(base, 'not-built') })
    try {
      const page = await request(`${api.url}/`)
      expect(page.status).toBe(404)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.text).toMatch(/dashboard is not built/)
      expect(page.text).toContain('npm run build')
      expect((await request(`${api.url}/api/v1`)).status).toBe(200)
    } finally {
      await api.close()
    }
  })
})
