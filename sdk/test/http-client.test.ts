import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Configuration, HttpError, HttpRequestError, createClientFactory } from '../src/index.js'
import { freePort } from './support/ports.js'

// a real service 'web': echoes requests, answers 404 on /missing and never answers /slow
function startWeb(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/slow') return
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.url === '/missing') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such order')
        return
      }
      const body = Buffer.concat(chunks).toString()
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        method: request.method,
        url: request.url,
        contentType: request.headers['content-type'] ?? null,
        trace: request.headers['x-trace'] ?? null,
        body: body === '' ? null : body,
      }))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('HTTP client through a discovered address', () => {
  let web: Server
  let config: Configuration

  beforeAll(async () => {
    web = await startWeb()
    const { port } = web.address() as AddressInfo
    config = new Configuration({ SERVICE__WEB__HOST: '127.0.0.1', SERVICE__WEB__PORT: String(port), SERVICE__WEB__PROTOCOL: 'http' })
  })

  afterAll(async () => {
    web.closeAllConnections()
    await new Promise((resolve) => web.close(resolve))
  })

  it('calls the service with relative paths and JSON helpers', async () => {
    const client = createClientFactory({ configuration: config }).http.createClient('web', { headers: { 'x-trace': 'abc' } })
    expect(client.baseUrl.href).toBe(`http://127.0.0.1:${(web.address() as AddressInfo).port}/`)

    const got = await client.getJson<{ method: string; url: string; trace: string }>('/orders?open=1')
    expect(got).toMatchObject({ method: 'GET', url: '/orders?open=1', trace: 'abc' })

    const posted = await client.postJson<{ method: string; contentType: string; body: string }>('orders', { item: 'tea', count: 2 })
    expect(posted.method).toBe('POST')
    expect(posted.contentType).toBe('application/json')
    expect(JSON.parse(posted.body)).toEqual({ item: 'tea', count: 2 })

    const raw = await client.post('/notes', 'plain words', { headers: { 'content-type': 'text/plain' } })
    expect(raw.status).toBe(200)
    expect(await raw.json()).toMatchObject({ body: 'plain words', contentType: 'text/plain' })
  })

  it('returns non-2xx responses from get, and throws them from the JSON helpers', async () => {
    const client = createClientFactory({ configuration: config }).http.createClient('web')
    expect((await client.get('/missing')).status).toBe(404)
    const failure = client.getJson('/missing')
    await expect(failure).rejects.toBeInstanceOf(HttpError)
    await expect(client.getJson('/missing')).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404: no such order/)
  })

  it('gives up after its timeout, naming the request and the service', async () => {
    const client = createClientFactory({ configuration: config }).http.createClient('web', { timeoutMs: 300 })
    const attempt = client.get('/slow')
    await expect(attempt).rejects.toBeInstanceOf(HttpRequestError)
    await expect(client.get('/slow', { timeoutMs: 200 })).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/slow \(service 'web'\) failed: timed out after 200 ms/)
  })

  it('reports a refused connection with the address it tried', async () => {
    const closedPort = await freePort()
    const client = createClientFactory({ configuration: new Configuration({ SERVICE__API__PORT: String(closedPort) }) }).http.createClient('api')
    await expect(client.get('/health')).rejects.toThrow(`GET http://localhost:${closedPort}/health (service 'api') failed: ECONNREFUSED`)
  })

  it('keeps calls on the service: absolute URLs are refused', () => {
    const client = createClientFactory({ configuration: config }).http.createClient('web')
    expect(() => client.url('http://example.com/x')).toThrow(/Pass a path such as '\/orders', not a URL/)
  })

  it('refuses to create a client for an unknown service or a non-HTTP binding', () => {
    const factory = createClientFactory({ configuration: new Configuration({ SERVICE__REDIS__PORT: '6379', SERVICE__REDIS__PROTOCOL: 'redis' }) })
    expect(() => factory.http.createClient('web')).toThrow("Unknown service 'web': neither SERVICE__WEB__* nor CONNECTIONSTRINGS__WEB is set. Known services: redis.")
    expect(() => factory.http.createClient('redis')).toThrow(/speaks 'redis', not http or https/)
  })
})
