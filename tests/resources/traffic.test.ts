// Traffic per replica and per binding from the proxy's own counters, on both proxy engines:
// a known number of requests, each on its own connection, shows up exactly.
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { ProxyEngines } from '../../src-main/core/proxy/proxy-engines'
import type { ProxyEngine } from '../../src-main/core/proxy-types'
import { freePort } from '../free-port'
import { application, binding, nodeService, waitFor } from '../core/orchestrator-helpers'

/** this file's own proxy engines (runtime.ts): no relay or thread pool shared with other files */
const engines = new ProxyEngines()

const REQUEST = 'GET /counted HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
const REQUESTS = 10

/** one request on its own connection: the bytes that came back and the replica that answered */
function request(port: number): Promise<{ bytes: number; instance: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(REQUEST))
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const body = all.toString('utf8').split('\r\n\r\n')[1] ?? '{}'
      resolve({ bytes: all.length, instance: (JSON.parse(body) as { instance: string }).instance })
    })
  })
}

describe.each<[string, ProxyEngine]>([
  ['on the native relay', 'native'],
  ['on the Node proxy threads', 'threads'],
])('traffic counters %s', (_label, engine) => {
  let running: Orchestrator | undefined
  afterEach(async () => {
    await running?.stop()
    running = undefined
  })

  it('counts each replica\'s connections and bytes, and the binding\'s total', async () => {
    const port = await freePort()
    const o = new Orchestrator(application([nodeService('web', 'echo-server.mjs', { replicas: 2, bindings: [binding({ port, name: 'http' })] })]), {
      startProxy: (options) => engines.start({ ...options, engine }),
    })
    running = o
    await o.start()
    await waitFor('2 ready replicas', () => o.service('web').replicaStatuses.filter((r) => r.state === 'ready').length === 2)

    const answers = []
    for (let i = 0; i < REQUESTS; i++) answers.push(await request(port))
    const names = o.service('web').replicaStatuses.map((r) => r.name)
    const sent = new Map(names.map((n) => [n, { connections: 0, bytesOut: 0 }]))
    for (const a of answers) {
      const s = sent.get(a.instance)!
      s.connections++
      s.bytesOut += a.bytes
    }
    // round robin over two replicas
    expect([...sent.values()].map((s) => s.connections)).toEqual([REQUESTS / 2, REQUESTS / 2])

    const metrics = await waitFor('every connection counted and closed', async () => {
      const m = await o.metrics('web')
      return m.every((r) => r.proxyConnections === REQUESTS / 2 && r.proxyActiveConnections === 0 && r.proxyBytesOut === sent.get(r.replica)!.bytesOut) && m
    })
    for (const m of metrics) {
      expect(m.proxyBytesIn).toBe((REQUESTS / 2) * REQUEST.length)
      expect(m.proxyBytesOut).toBe(sent.get(m.replica)!.bytesOut)
    }
    const traffic = o.resources('web').latest!.bindings
    expect(traffic).toHaveLength(1)
    expect(traffic[0]).toMatchObject({
      service: 'web',
      binding: 'http',
      port,
      connections: REQUESTS,
      activeConnections: 0,
      bytesIn: REQUESTS * REQUEST.length,
      bytesOut: answers.reduce((sum, a) => sum + a.bytes, 0),
    })
  })
})
