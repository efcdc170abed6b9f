import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { BindingProxy, ProxyStats } from '../../../src-main/core/proxy-types'
import { engines, type Backend, proxyWithNamedBackends, request, stopBackend, until } from './sockets'

const proxies: BindingProxy[] = []
const backends: Backend[] = []
const servers: net.Server[] = []

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
  await Promise.all(backends.splice(0).map(stopBackend))
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

function started(threads: number, ...names: string[]): Promise<BindingProxy> {
  return proxyWithNamedBackends({ waitForBackendMs: 200, threads, engine: 'threads' }, names, { proxies, backends })
}

describe('the proxy threads', () => {
  it('run every proxy on the pool and end with the last of them', async () => {
    const first = await engines.start({ port: 0, service: 'web', engine: 'threads' })
    const second = await engines.start({ port: 0, service: 'api', engine: 'threads' })
    proxies.push(first, second)
    const workers = engines.threads.workers()
    expect(workers).toHaveLength(await engines.threads.sharing.threadCount())
    await first.close()
    expect(engines.threads.workers()).toEqual(workers)
    const exited = Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))))
    await second.close()
    await exited
    expect(engines.threads.workers()).toEqual([])
  })

  it('take over the same port and backends on a new thread if a thread dies', async () => {
    const p = await started(1, 'web_1')
    expect((await request(p.port)).data).toBe('web_1')

    const [dead] = engines.threads.workers()
    await dead?.terminate()
    await until('a new proxy thread serving the port', async () => {
      const [worker] = engines.threads.workers()
      if (!worker || worker === dead) return false
      return (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1'
    })
  })

  it('keep a dead thread\'s counters: the totals go on from where they were', async () => {
    const p = await started(1, 'web_1')
    for (let i = 0; i < 3; i++) await request(p.port)
    await until('the count', async () => (await p.currentStats?.())?.get('web_1')?.connections === 3)
    const [dead] = engines.threads.workers()
    await dead?.terminate()
    await until('the port served again', async () => (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1')
    for (let i = 0; i < 5; i++) expect((await request(p.port)).data).toBe('web_1')
    // the 3 before, the requests that found the port served again, and the 5
    const counted = await p.currentStats?.()
    expect(counted?.get('web_1')?.connections).toBeGreaterThanOrEqual(9)
    // what the dead thread had open is not counted as open any more
    await until('no connection open', async () => (await p.currentStats?.())?.get('web_1')?.activeConnections === 0)
  })

  it('replace a thread that keeps dying at most once a second, not in a tight loop', async () => {
    const p = await started(1, 'web_1')
    const taken: number[] = [Date.now()]
    for (let round = 0; round < 2; round++) {
      const [dead] = engines.threads.workers()
      await dead?.terminate()
      // dies as soon as it serves again
      await until('a new proxy thread serving the port', async () => {
        const [worker] = engines.threads.workers()
        if (!worker || worker === dead) return false
        return (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1'
      })
      taken.push(Date.now())
    }
    // each replacement came no sooner than a second after the thread before it took the port
    // (a little less, for the time between taking the port and the test's clock reading)
    expect(taken[1]! - taken[0]!).toBeGreaterThanOrEqual(900)
    expect(taken[2]! - taken[1]!).toBeGreaterThanOrEqual(900)
  })

  it('share the port where the runtime can, keeping one round robin across the threads', async () => {
    const p = await started(2, 'web_1', 'web_2')
    expect(engines.threads.workers()).toHaveLength((await engines.threads.sharing.canShare()) ? 2 : 1)
    // each connection comes from a new client port, so the kernel hands them to either thread
    const answers: string[] = []
    for (let i = 0; i < 40; i++) answers.push((await request(p.port)).data)
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'web_1' : 'web_2')))
    const stats = (await (p.currentStats as () => Promise<Map<string, ProxyStats>>)())
    expect(stats.get('web_1')?.connections).toBe(20)
    expect(stats.get('web_2')?.connections).toBe(20)
  })

  it('keep serving on the other threads while a dead one is replaced', async () => {
    const p = await started(2, 'web_1')
    const workers = engines.threads.workers()
    await workers[0]?.terminate()
    // the survivor holds the port all along (with one thread, the new thread takes it over)
    await until('the port served again', async () => (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1')
    await until('the pool at full strength', async () => engines.threads.workers().length === workers.length && !engines.threads.workers().includes(workers[0] as never))
    for (let i = 0; i < 10; i++) expect((await request(p.port)).data).toBe('web_1')
  })

  it('do not share the port with another program that asks to share it', async () => {
    // what a second Micronetes on the same binding port would do: listen with reusePort
    const other = net.createServer()
    servers.push(other)
    await new Promise<void>((resolve) => other.listen({ port: 0, host: '127.0.0.1', reusePort: true } as net.ListenOptions, resolve))
    const port = (other.address() as net.AddressInfo).port
    await expect(engines.start({ port, service: 'web', threads: 2, engine: 'threads' })).rejects.toThrow(`127.0.0.1:${port} is already in use`)
    expect(engines.threads.workers()).toEqual([])
  })
})
