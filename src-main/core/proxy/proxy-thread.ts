// The proxy thread's entry: runs every binding's RoundRobinProxy on its own event loop, so a
// busy orchestrator (a flood of log lines, 200 replicas starting) never delays proxied bytes.
// Built into out/helpers/proxy-thread.cjs by scripts/build-helpers.mjs; proxy-worker.ts starts it.
import { parentPort } from 'node:worker_threads'
import type { ProxyStats } from '../proxy-types'
import { RoundRobinProxy } from './round-robin-proxy'
import { STATS_INTERVAL_MS, type FromProxyThread, type ToProxyThread } from './worker-protocol'

const port = parentPort
if (!port) throw new Error('proxy-thread runs only as a worker thread')

const proxies = new Map<number, RoundRobinProxy>()
const lastSent = new Map<number, string>()

function send(message: FromProxyThread): void {
  port?.postMessage(message)
}

function sendStats(id: number, always: boolean): void {
  const proxy = proxies.get(id)
  if (!proxy) return
  const stats: [string, ProxyStats][] = [...proxy.stats()]
  const text = JSON.stringify(stats)
  if (!always && lastSent.get(id) === text) return
  lastSent.set(id, text)
  send({ type: 'stats', id, stats })
}

setInterval(() => {
  for (const id of proxies.keys()) sendStats(id, false)
}, STATS_INTERVAL_MS).unref()

port.on('message', (message: ToProxyThread) => {
  switch (message.type) {
    case 'listen': {
      const proxy = new RoundRobinProxy(message.options, { sharing: message.sharing, turns: new Uint32Array(message.turns) })
      proxy.listen().then(
        (bound) => {
          proxies.set(message.id, proxy)
          send({ type: 'listening', id: message.id, port: bound })
        },
        (error: Error) => send({ type: 'listen-failed', id: message.id, message: error.message }),
      )
      break
    }
    case 'backends':
      proxies.get(message.id)?.setBackends(message.backends)
      break
    case 'stats':
      sendStats(message.id, true)
      break
    case 'close': {
      const proxy = proxies.get(message.id)
      proxies.delete(message.id)
      lastSent.delete(message.id)
      void (proxy ? proxy.close() : Promise.resolve()).then(() => send({ type: 'closed', id: message.id }))
      break
    }
  }
})
