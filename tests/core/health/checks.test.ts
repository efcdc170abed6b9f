// The checks themselves, against real servers and processes: what counts as healthy, what a
// failure says, that headers arrive, that a stuck check is cut off at its timeout.
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { execCheck } from '../../../src-main/core/health/exec-probe'
import { httpCheck } from '../../../src-main/core/health/http-probe'
import { tcpCheck } from '../../../src-main/core/health/tcp-probe'
import { freePort } from '../../free-port'
import { processAlive } from '../../../src-main/core/proc'
import { waitFor } from '../orchestrator-helpers'

const servers: { close(): void }[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

async function serve(handler: Parameters<typeof createServer>[1], host = '127.0.0.1'): Promise<number> {
  const server: Server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return (server.address() as { port: number }).port
}

const http = (port: number, path: string, timeoutMs = 1000, headers: { name: string; value: string }[] = []) =>
  httpCheck({ port, path, scheme: 'http', headers, timeoutMs })

describe('http check', () => {
  it('is healthy on 2xx and 3xx, unhealthy on 4xx and 5xx, and sends the headers given', async () => {
    let seen: string | undefined
    const port = await serve((req, res) => {
      seen = req.headers['x-probe'] as string | undefined
      res.statusCode = Number(req.url!.slice(1))
      res.end()
    })
    expect(await http(port, '/204', 1000, [{ name: 'X-Probe', value: 'yes' }])).toEqual({ ok: true, message: 'GET /204 answered 204' })
    expect(seen).toBe('yes')
    expect(await http(port, '/302')).toEqual({ ok: true, message: 'GET /302 answered 302' })
    expect(await http(port, '/404')).toEqual({ ok: false, message: 'GET /404 answered 404' })
    expect(await http(port, '/503')).toEqual({ ok: false, message: 'GET /503 answered 503' })
  })

  it('finds a server on IPv6 loopback, says when nothing listens, and cuts off one that never answers', async () => {
    const v6 = await serve((_req, res) => res.end('ok'), '::1')
    expect(await http(v6, '/')).toEqual({ ok: true, message: 'GET / answered 200' })
    const closed = await freePort()
    expect(await http(closed, '/health')).toEqual({ ok: false, message: `GET /health: nothing accepts connections on port ${closed}` })
    const silent = await serve(() => {})
    const started = Date.now()
    expect(await http(silent, '/health', 300)).toEqual({ ok: false, message: 'GET /health did not answer within 300ms' })
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('tcp check', () => {
  it('is healthy when the port accepts a connection', async () => {
    const server = createTcpServer((s) => s.destroy())
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    expect(await tcpCheck(port, 0)).toEqual({ ok: true, message: `port ${port} accepts connections` })
    const closed = await freePort()
    expect(await tcpCheck(closed, 0)).toEqual({ ok: false, message: `nothing accepts connections on port ${closed}` })
  })
})

describe('exec check', () => {
  const env = { PATH: process.env.PATH ?? '' }

  it('is healthy on exit 0; a failure quotes the last line the command said', async () => {
    expect(await execCheck({ command: ['true'], cwd: '/tmp', env, timeoutMs: 2000 })).toEqual({ ok: true, message: 'true exited with code 0' })
    expect(await execCheck({ command: ['sh', '-c', 'echo checking; echo "db is down" >&2; exit 2'], cwd: '/tmp', env, timeoutMs: 2000 })).toEqual({
      ok: false,
      message: 'sh -c echo checking; echo "db is down" >&2; exit 2 exited with code 2: db is down',
    })
    expect(await execCheck({ command: ['no-such-probe-program'], cwd: '/tmp', env, timeoutMs: 2000 })).toEqual({ ok: false, message: 'no-such-probe-program cannot start: not found' })
  })

  it('kills a command that outlives its timeout, with what it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-exec-check-'))
    try {
      const pidFile = join(dir, 'child.pid')
      const command = ['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`]
      expect(await execCheck({ command, cwd: dir, env, timeoutMs: 300 })).toEqual({ ok: false, message: `${command.join(' ')} did not finish within 300ms` })
      const child = Number(readFileSync(pidFile, 'utf8'))
      expect(child).toBeGreaterThan(0)
      await waitFor('the sleep it started to be gone', () => !processAlive(child), 3000)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
