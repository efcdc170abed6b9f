import { afterEach, describe, expect, it } from 'vitest'
import type { BindingProxy } from '../../../src-main/core/proxy-types'
import { proxyWorker } from '../../../src-main/core/proxy/proxy-host'
import { startProxy } from '../../../src-main/core/proxy/start-proxy'
import { type Backend, namedBackend, request, stopBackend } from './sockets'

const proxies: BindingProxy[] = []
const backends: Backend[] = []

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
  await Promise.all(backends.splice(0).map(stopBackend))
})

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('the proxy thread', () => {
  it('runs every proxy on one thread and ends with the last of them', async () => {
    const first = await startProxy({ port: 0, service: 'web' })
    const second = await startProxy({ port: 0, service: 'api' })
    proxies.push(first, second)
    const worker = proxyWorker()
    expect(worker).toBeDefined()
    await first.close()
    expect(proxyWorker()).toBe(worker)
    const exited = new Promise((resolve) => worker?.once('exit', resolve))
    await second.close()
    await exited
    expect(proxyWorker()).toBeUndefined()
  })

  it('takes over the same ports and backends on a new thread if the thread dies', async () => {
    const backend = await namedBackend('web_1')
    backends.push(backend)
    const p = await startProxy({ port: 0, service: 'web', waitForBackendMs: 200 })
    proxies.push(p)
    p.setBackends([{ replica: 'web_1', host: '127.0.0.1', port: backend.port }])
    expect((await request(p.port)).data).toBe('web_1')

    const dead = proxyWorker()
    await dead?.terminate()
    await until('a new proxy thread serving the port', async () => {
      const worker = proxyWorker()
      if (!worker || worker === dead) return false
      return (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1'
    })
  })
})
