// A client may send its request and then close its sending side (`nc -N`, some proxies and
// load testers do): the server must still answer every route, dashboard files as API routes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'

let dir: string
let session: Session
let api: ApiServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'micronetes-half-close-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>')
  writeFileSync(join(dir, 'app-abcdef12.js'), 'console.log("dashboard")')
  session = new Session()
  api = await startApiServer({ port: 0, session, dashboardDir: dir })
})
afterAll(async () => {
  await api?.close()
  await session?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** sends one request, half-closes at once, and reads until the server closes */
function halfClosedRequest(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(api.port, '127.0.0.1', () => socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`))
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer for ${path} in 10 s`)))
  })
}

describe('a client that half-closes after its request', () => {
  it.each([
    ['/api/v1', /^HTTP\/1\.1 200 /, /\/api\/v1\/application/],
    ['/', /^HTTP\/1\.1 200 /, /<title>dashboard<\/title>/],
    ['/index.html', /^HTTP\/1\.1 200 /, /<title>dashboard<\/title>/],
    ['/app-abcdef12.js', /^HTTP\/1\.1 200 /, /console\.log\("dashboard"\)/],
    ['/missing.js', /^HTTP\/1\.1 404 /, /"code": "not-found"/],
  ])('gets its whole answer for %s', async (path, status, body) => {
    const answer = await halfClosedRequest(path)
    expect(answer).toMatch(status)
    expect(answer).toMatch(body)
  })
})
