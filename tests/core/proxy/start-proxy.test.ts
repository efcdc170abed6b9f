import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { BindingProxy, ProxyEngine, ProxyStats } from '../../../src-main/core/proxy-types'
import { engines,   accepts, type Backend, ipv6Available, namedBackend, refusedPort, request, startBackend, stopBackend,
} from './sockets'

const proxies: BindingProxy[] = []
const backends: Backend[] = []
const extraServers: net.Server[] = []

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
  await Promise.all(backends.splice(0).map(stopBackend))
  await Promise.all(extraServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

let engine: ProxyEngine = 'native'

async function proxy(options: { waitForBackendMs?: number; port?: number } = {}): Promise<BindingProxy> {
  const started = await engines.start({ port: options.port ?? 0, service: 'web', binding: 'http', engine, ...options })
  proxies.push(started)
  return started
}

async function named(...names: string[]): Promise<Backend[]> {
  const started = await Promise.all(names.map(namedBackend))
  backends.push(...started)
  return started
}

function asBackends(list: Backend[]): { replica: string; host: string; port: number }[] {
  return list.map((backend) => ({ replica: backend.name, host: '127.0.0.1', port: backend.port }))
}

async function statsOf(p: BindingProxy, replica: string): Promise<ProxyStats | undefined> {
  return (await (p.currentStats as () => Promise<Map<string, ProxyStats>>)()).get(replica)
}

// the same behaviour on the native relay (the default on Linux), on the Node proxy threads (the
// default elsewhere) and on the caller's event loop
describe.each<[string, ProxyEngine]>([
  ['on the native relay', 'native'],
  ['on the proxy threads', 'threads'],
  ['in process', 'in-process'],
])('startProxy %s', (_where, mode) => {
  beforeAll(() => { engine = mode })
  it('runs on the engine asked for', async () => {
    expect((await proxy()).engine).toBe(mode)
  })

  it('hands each new connection to the next backend in turn', async () => {
    const p = await proxy()
    p.setBackends(asBackends(await named('web_1', 'web_2', 'web_3')))
    const answers: string[] = []
    for (let i = 0; i < 7; i++) answers.push((await request(p.port)).data)
    expect(answers).toEqual(['web_1', 'web_2', 'web_3', 'web_1', 'web_2', 'web_3', 'web_1'])
  })

  it('answers on IPv4 and IPv6 loopback at the same port', async () => {
    const p = await proxy()
    p.setBackends(asBackends(await named('web_1')))
    expect((await request(p.port, '127.0.0.1')).data).toBe('web_1')
    if (await ipv6Available()) expect((await request(p.port, '::1')).data).toBe('web_1')
    expect((await request(p.port, 'localhost')).data).toBe('web_1')
  })

  it('reaches backends on IPv6 loopback as well as IPv4', async () => {
    if (!(await ipv6Available())) return
    const v6 = net.createServer((socket) => socket.end('on ::1'))
    extraServers.push(v6)
    await new Promise<void>((resolve) => v6.listen({ port: 0, host: '::1', ipv6Only: true }, resolve))
    const [v4] = await named('web_2')
    const p = await proxy()
    p.setBackends([
      { replica: 'web_1', host: '::1', port: (v6.address() as net.AddressInfo).port },
      { replica: 'web_2', host: '127.0.0.1', port: (v4 as Backend).port },
    ])
    const answers = [(await request(p.port)).data, (await request(p.port)).data]
    expect(answers.sort()).toEqual(['on ::1', 'web_2'])
  })

  it('closes a connection that found no backend within the wait', async () => {
    const p = await proxy({ waitForBackendMs: 300 })
    const reply = await request(p.port)
    expect(reply.data).toBe('')
    expect(reply.closedAfterMs).toBeGreaterThanOrEqual(250)
  })

  it('serves a waiting connection as soon as a backend arrives', async () => {
    const p = await proxy({ waitForBackendMs: 10_000 })
    const pending = request(p.port)
    await new Promise((resolve) => setTimeout(resolve, 100))
    p.setBackends(asBackends(await named('web_1')))
    expect((await pending).data).toBe('web_1')
  })

  it('skips a backend that refuses for the next one', async () => {
    const p = await proxy({ waitForBackendMs: 300 })
    const [live] = await named('web_2')
    p.setBackends([{ replica: 'web_1', host: '127.0.0.1', port: await refusedPort() }, ...asBackends([live as Backend])])
    expect((await request(p.port)).data).toBe('web_2')
    expect((await request(p.port)).data).toBe('web_2')
    expect((await statsOf(p, 'web_1'))?.connections).toBe(0)
    expect((await statsOf(p, 'web_2'))?.connections).toBe(2)
  })

  it('skips a backend whose address cannot be connected to at all', async () => {
    const p = await proxy({ waitForBackendMs: 300 })
    const [live] = await named('web_2')
    p.setBackends([{ replica: 'web_1', host: '127.0.0.1', port: 70_000 }, ...asBackends([live as Backend])])
    expect((await request(p.port)).data).toBe('web_2')
    expect((await request(p.port)).data).toBe('web_2')
  })

  it('closes the connection when every backend refuses for the whole wait', async () => {
    const p = await proxy({ waitForBackendMs: 300 })
    p.setBackends([{ replica: 'web_1', host: '127.0.0.1', port: await refusedPort() }])
    expect((await request(p.port)).data).toBe('')
  })

  it('counts connections, open connections and bytes per replica', async () => {
    const p = await proxy()
    const echo = await startBackend('web_1', (socket) => socket.pipe(socket))
    backends.push(echo)
    p.setBackends(asBackends([echo]))
    expect((await request(p.port, '127.0.0.1', 'x'.repeat(1000))).data).toHaveLength(1000)

    const open = net.connect(p.port, '127.0.0.1')
    open.write('y'.repeat(10))
    await new Promise((resolve) => open.once('data', resolve))
    const stats = await statsOf(p, 'web_1')
    open.destroy()
    expect(stats).toEqual({ connections: 2, activeConnections: 1, bytesIn: 1010, bytesOut: 1010 })
  })

  it('frees the port on close and ends open connections', async () => {
    const p = await proxy()
    const silent = await startBackend('web_1', () => {})
    backends.push(silent)
    p.setBackends(asBackends([silent]))
    const port = p.port
    const open = request(port)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await p.close()
    await open
    expect(await accepts(port, '127.0.0.1')).toBe(false)
    const again = net.createServer()
    extraServers.push(again)
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject)
      again.listen(port, '127.0.0.1', resolve)
    })
  })

  it('names the port and the service when the port is taken', async () => {
    const holder = net.createServer()
    extraServers.push(holder)
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const port = (holder.address() as net.AddressInfo).port
    await expect(proxy({ port })).rejects.toThrow(
      new RegExp(`port ${port} \\(service web, binding http\\).*already in use`),
    )
  })

  it('carries 64 MiB each way intact', async () => {
    const size = 64 * 1024 * 1024
    const upload = randomBytes(size)
    const download = randomBytes(size)
    const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
    let backendDone: (hex: string) => void = () => {}
    const received = new Promise<string>((resolve) => { backendDone = resolve })
    const backend = await startBackend('web_1', (socket) => {
      const hash = createHash('sha256')
      socket.on('data', (chunk) => hash.update(chunk))
      socket.on('end', () => backendDone(hash.digest('hex')))
      socket.end(download)
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))

    const hash = createHash('sha256')
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(p.port, '127.0.0.1')
      socket.on('data', (chunk) => hash.update(chunk))
      socket.on('error', reject)
      socket.on('close', () => resolve())
      socket.end(upload)
    })
    expect(hash.digest('hex')).toBe(sha(download))
    expect(await received).toBe(sha(upload))
    expect(await statsOf(p, 'web_1')).toMatchObject({ bytesIn: size, bytesOut: size })
  })

  it('keeps 200 connections at once apart and intact, each echoing its own bytes', async () => {
    // what a proxy with several threads could mix up: buffers, pending bytes and counters of
    // connections served side by side
    const echo = await startBackend('web_1', (socket) => socket.pipe(socket))
    backends.push(echo)
    const p = await proxy()
    p.setBackends(asBackends([echo]))
    const sizes = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7919) % 300_000))
    const echoed = await Promise.all(sizes.map((size) => new Promise<boolean>((resolve, reject) => {
      const sent = randomBytes(size)
      const chunks: Buffer[] = []
      const socket = net.connect({ port: p.port, host: '127.0.0.1', allowHalfOpen: true })
      socket.on('data', (chunk: Buffer) => chunks.push(chunk))
      socket.on('error', reject)
      socket.on('end', () => {
        socket.end()
        resolve(Buffer.concat(chunks).equals(sent))
      })
      // in pieces, the last one with the FIN
      socket.write(sent.subarray(0, size >> 1))
      setTimeout(() => socket.end(sent.subarray(size >> 1)), size % 20)
    })))
    expect(echoed.filter((ok) => !ok)).toHaveLength(0)
    const total = sizes.reduce((sum, size) => sum + size, 0)
    await expect.poll(async () => statsOf(p, 'web_1')).toEqual({ connections: 200, activeConnections: 0, bytesIn: total, bytesOut: total })
  }, 30_000)

  it('keeps answers intact when the client reads slower than the backend writes', async () => {
    const download = randomBytes(16 * 1024 * 1024)
    const backend = await startBackend('web_1', (socket) => socket.end(download))
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    const chunks: Buffer[] = []
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(p.port, '127.0.0.1')
      socket.on('error', reject)
      socket.on('close', () => resolve())
      // stalls now and then, so the proxy's writes to the client back up
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        if (chunks.length % 16 === 0) {
          socket.pause()
          setTimeout(() => socket.resume(), 5)
        }
      })
      socket.end()
    })
    expect(Buffer.concat(chunks).equals(download)).toBe(true)
  })

  it('keeps relaying when small answers back up behind a client that stopped reading', async () => {
    // pieces far below a socket's write high-water mark: a write that waits for the client
    // returns true and never brings a 'drain', so the proxy must resume on the write's own
    // completion; otherwise the answer stalls for good
    const piece = randomBytes(1000)
    const pieces = 20_000
    const backend = await startBackend('web_1', (socket) => {
      let sent = 0
      const more = (): void => {
        while (sent < pieces) {
          sent++
          if (!socket.write(piece)) return void socket.once('drain', more)
          if (sent % 5 === 0) return void setImmediate(more)
        }
        socket.end()
      }
      more()
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    const received = await new Promise<number>((resolve, reject) => {
      let bytes = 0
      const socket = net.connect(p.port, '127.0.0.1')
      socket.on('error', reject)
      socket.on('close', () => resolve(bytes))
      // the client takes nothing for a while, so the kernel's buffers fill up behind it
      socket.pause()
      setTimeout(() => socket.resume(), 300)
      socket.on('data', (chunk: Buffer) => { bytes += chunk.length })
      socket.end()
    })
    expect(received).toBe(piece.length * pieces)
  }, 20_000)

  it('passes a reset from the client on to the backend', async () => {
    let backendSaw: (what: string) => void = () => {}
    const seen = new Promise<string>((resolve) => { backendSaw = resolve })
    const backend = await startBackend('web_1', (socket) => {
      socket.write('hello')
      socket.on('error', (error: NodeJS.ErrnoException) => backendSaw(error.code ?? error.message))
      socket.on('end', () => backendSaw('end'))
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    const socket = net.connect(p.port, '127.0.0.1')
    socket.on('error', () => {})
    await new Promise((resolve) => socket.once('data', resolve))
    socket.resetAndDestroy()
    expect(await seen).toBe('ECONNRESET')
  })

  it('lets go of 50 connections reset in the middle of large answers, and keeps serving', async () => {
    // the proxy holds bytes for clients that stopped reading when they reset: what it held and
    // both sockets must go, on every connection, without disturbing the others
    const answer = randomBytes(4 * 1024 * 1024)
    let backendClosed = 0
    // 'big' asks for the large answer; anything else is answered with itself
    const backend = await startBackend('web_1', (socket) => {
      socket.once('data', (first: Buffer) => {
        if (first.toString() !== 'big') return void socket.end(first)
        socket.on('close', () => { backendClosed++ })
        socket.write(answer)
      })
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    await Promise.all(Array.from({ length: 50 }, () => new Promise<void>((resolve, reject) => {
      const socket = net.connect(p.port, '127.0.0.1')
      socket.on('error', () => undefined)
      socket.write('big')
      socket.once('data', () => {
        // stop reading so the proxy's side backs up, then reset
        socket.pause()
        setTimeout(() => {
          socket.resetAndDestroy()
          resolve()
        }, 20)
      })
      socket.once('close', () => resolve())
      setTimeout(() => reject(new Error('no data within 10 s')), 10_000)
    })))
    await expect.poll(() => backendClosed, { timeout: 10_000 }).toBe(50)
    await expect.poll(async () => (await statsOf(p, 'web_1'))?.activeConnections, { timeout: 10_000 }).toBe(0)
    expect((await request(p.port, '127.0.0.1', 'still here')).data).toBe('still here')
  }, 30_000)

  it('keeps half-close: the backend answers after the client has finished sending', async () => {
    const backend = await startBackend('web_1', (socket) => {
      let text = ''
      socket.on('data', (chunk) => { text += chunk })
      socket.on('end', () => setTimeout(() => socket.end(`got ${text}`), 50))
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    expect((await request(p.port, '127.0.0.1', 'hello')).data).toBe('got hello')
  })

  it('keeps half-close: the client still sends after the backend has finished', async () => {
    let heard = ''
    let backendDone: () => void = () => {}
    const backendEnded = new Promise<void>((resolve) => { backendDone = resolve })
    const backend = await startBackend('web_1', (socket) => {
      socket.end('bye')
      socket.on('data', (chunk) => { heard += chunk })
      socket.on('end', () => backendDone())
    })
    backends.push(backend)
    const p = await proxy()
    p.setBackends(asBackends([backend]))
    const socket = net.connect({ port: p.port, host: '127.0.0.1', allowHalfOpen: true })
    socket.on('error', () => {})
    socket.resume()
    const closed = new Promise((resolve) => socket.once('close', resolve))
    await new Promise((resolve) => socket.once('end', resolve))
    socket.end('late words')
    await Promise.all([closed, backendEnded])
    expect(heard).toBe('late words')
  })
})
