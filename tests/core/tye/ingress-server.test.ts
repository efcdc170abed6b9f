// The ingress server on its own, against a real backend: an upgraded connection (WebSocket's
// handshake) is passed through both ways, and the forwarding headers reach the service.
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { startIngress, type ListeningIngress } from '../../../src-main/core/ingress/ingress-server'

const open: { close(): Promise<void> | void }[] = []
// the ingress first, while its upgraded connections are still open: its stop must not wait for them
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close()
})

async function backend(): Promise<number> {
  const server: Server = createServer((req, res) => res.end(JSON.stringify({ path: req.url, forwardedFor: req.headers['x-forwarded-for'] })))
  const sockets = new Set<Duplex>()
  server.on('upgrade', (req, socket) => {
    sockets.add(socket)
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Path: ${req.url}\r\n\r\n`)
    socket.on('data', (chunk: Buffer) => socket.write(`echo:${chunk.toString()}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
  return (server.address() as AddressInfo).port
}

async function ingressTo(port: number): Promise<ListeningIngress> {
  const ingress = await startIngress(
    { ingress: { name: 'gw', bindings: [{ protocol: 'http', ip: '127.0.0.1' }], rules: [{ service: 'ws', path: '/ws', preservePath: false }] }, target: () => ({ host: '127.0.0.1', port }), log: () => {} },
    [0],
  )
  open.push(ingress)
  return ingress
}

describe('the ingress server', () => {
  it('passes an upgraded connection through both ways, with the prefix trimmed', async () => {
    const ingress = await ingressTo(await backend())
    const { path, reply } = await new Promise<{ path: string; reply: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: ingress.ports[0], path: '/ws/chat', headers: { connection: 'Upgrade', upgrade: 'websocket' }, agent: false })
      req.on('upgrade', (res, socket) => {
        socket.once('data', (chunk: Buffer) => {
          resolve({ path: String(res.headers['x-path']), reply: chunk.toString() })
        })
        socket.write('ping')
      })
      req.on('error', reject)
      req.end()
    })
    expect(path).toBe('/chat')
    expect(reply).toBe('echo:ping')
  })

  it('tells the service who asked (X-Forwarded-For)', async () => {
    const ingress = await ingressTo(await backend())
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port: ingress.ports[0], path: '/ws/x', agent: false }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve(text))
      }).on('error', reject).end()
    })
    expect(JSON.parse(body)).toEqual({ path: '/x', forwardedFor: '127.0.0.1' })
  })
})
