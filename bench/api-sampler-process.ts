// The logs bench's API sampler as a process of its own (node bench/results/api-sampler-process.mjs
// URL INTERVAL_MS): on a 2-core machine the flooding replica, micronetes run and the bench
// share the cores, and a sampler inside the bench process waited for the CPU as long as the
// server it measures. Here it raises its own priority where it may (nice -10, as root), so
// what it measures is micronetes run's answer, not its own turn on a core. It samples until a
// line arrives on stdin, then prints { samples, niced } as one JSON line and exits.
import { setPriority } from 'node:os'
import { startApiSampler } from './lib/api-sampler'

const [url, interval] = process.argv.slice(2)
if (!url || !interval) throw new Error('usage: api-sampler-process URL INTERVAL_MS')
let niced = false
try {
  setPriority(-10)
  niced = true
} catch {
  // not root: the sampler runs at the same priority as everything else, and says so
}
const sampler = startApiSampler(url, Number(interval))
process.stdin.once('data', () => {
  void sampler.stop().then(
    (samples) => process.stdout.write(JSON.stringify({ samples, niced }) + '\n', () => process.exit(0)),
    (error: Error) => {
      process.stderr.write(`api sampler: ${error.message}\n`)
      process.exit(1)
    },
  )
})
process.stdout.write('ready\n')
