// The Micronetes proxy alone in a process of its own, for the proxy bench: started with the
// Node being measured, so its CPU is read from /proc like HAProxy's.
//   node proxy-server.mjs <port> <backend port>...
// Says on stderr how many proxy threads listen, then serves until SIGTERM.
import { proxyWorkers } from '../src-main/core/proxy/proxy-host'
import { startProxy } from '../src-main/core/proxy/start-proxy'

const [port, ...backends] = process.argv.slice(2).map(Number)
const proxy = await startProxy({ port: port ?? 0, service: 'bench', waitForBackendMs: 5000 })
proxy.setBackends(backends.map((backend, i) => ({ replica: `nginx${i + 1}`, host: '127.0.0.1', port: backend })))
process.stderr.write(`threads=${proxyWorkers().length}\n`)
// the proxy threads do not keep a process alive by themselves
const alive = setInterval(() => undefined, 1 << 30)
process.once('SIGTERM', () => {
  clearInterval(alive)
  void proxy.close().then(() => process.exit(0))
})
