// A client that stops reading must not make the server queue without end: the gate skips,
// then tells the client how much it missed once it reads again.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SlowClientGate } from '../../src-main/api/slow-client'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
})

describe('slow client gate', () => {
  it('skips while the socket is full, says how many it skipped, and never queues past the bound', async () => {
    const chunk = 'x'.repeat(1023) + '\n'
    let maxQueued = 0
    let written = 0
    let skipped = 0
    const gateReady = new Promise<[SlowClientGate, ServerResponse]>((resolveGate) => {
      server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.flushHeaders()
        resolveGate([new SlowClientGate(res, { highWaterBytes: 64 * 1024, skippedNote: (n) => `SKIPPED ${n}\n` }), res])
      })
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
    const { port } = server!.address() as AddressInfo

    let received = ''
    const response = await new Promise<IncomingMessage>((r) => request(`http://127.0.0.1:${port}/`, r).end())
    response.pause()
    const [gate, res] = await gateReady
    // far more than the kernel's socket buffers hold, while the client reads nothing
    for (let i = 0; i < 40_000; i++) {
      if (gate.write(chunk)) written++
      else skipped++
      maxQueued = Math.max(maxQueued, res.writableLength)
    }
    expect(skipped).toBeGreaterThan(0)
    expect(maxQueued).toBeLessThan(64 * 1024 + chunk.length + 1)

    response.setEncoding('utf8')
    response.on('data', (c: string) => (received += c))
    response.resume()
    await new Promise<void>((resolveDone, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SKIPPED note; received ${received.length} chars`)), 15_000)
      const check = setInterval(() => {
        if (/SKIPPED \d+\n/.test(received)) {
          clearInterval(check)
          clearTimeout(timer)
          resolveDone()
        }
      }, 20)
    })
    expect(Number(/SKIPPED (\d+)/.exec(received)?.[1])).toBe(skipped)
    expect(written + skipped).toBe(40_000)
  })
})
