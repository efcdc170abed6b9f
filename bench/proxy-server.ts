// The Micronetes proxy alone in a process of its own, for the proxy bench: started with the
// Node being measured, so its CPU is read from /proc like HAProxy's.
//   node proxy-server.mjs <engine: native|threads> <port> <backend port>...
// Says on stderr which engine serves, with how many threads, and the native relay's pid (its
// CPU is the proxy's), then serves until SIGTERM.
import type { ProxyEngine } from '../src-main/core/proxy-types'
import { ProxyEngines } from '../src-main/core/proxy/proxy-engines'

/** this process's proxy engines (runtime.ts) */
const engines = new ProxyEngines()

const [engine, ...numbers] = process.argv.slice(2)
const [port, ...backends] = numbers.map(Number)
const proxy = await engines.start({ port: port ?? 0, service: 'bench', waitForBackendMs: 5000, engine: engine as ProxyEngine })
proxy.setBackends(backends.map((backend, i) => ({ replica: `nginx${i + 1}`, host: '127.0.0.1', port: backend })))
// the relay's own count of its worker threads, as it said when ready
const threads = proxy.engine === 'native' ? await engines.relay.process()?.ready : engines.threads.workers().length
const relay = engines.relay.process()?.child.pid
process.stderr.write(`engine=${proxy.engine} threads=${threads}${relay ? ` relay=${relay}` : ''}\n`)
// the proxy does not keep a process alive by itself
const alive = setInterval(() => undefined, 1 << 30)
process.once('SIGTERM', () => {
  clearInterval(alive)
  void proxy.close().then(() => process.exit(0))
})
