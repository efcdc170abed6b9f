// The benchmark runner: `npm run bench [-- --quick] [-- --json] [-- --only proxy,logs]`.
// A table goes to stderr; with --json one object goes to stdout.
import { commandExists } from './lib/processes'
import { proxyBench } from './proxy-bench'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const json = args.includes('--json')
const onlyArg = args.find((a) => a.startsWith('--only'))
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1])?.split(',') : undefined
const wanted = (section: string): boolean => !only || only.includes(section)
const log = (line: string): void => { process.stderr.write(`${line}\n`) }

const missing = []
for (const tool of ['wrk', 'nginx', 'haproxy', 'curl']) if (!(await commandExists(tool))) missing.push(tool)
if (missing.length > 0 && wanted('proxy')) {
  log(`bench: missing ${missing.join(', ')}; run bench/setup.sh (apt-get install wrk nginx-light haproxy curl)`)
  process.exit(1)
}

const result: Record<string, unknown> = { quick, startedAt: new Date().toISOString() }
if (wanted('proxy')) {
  const proxy = await proxyBench({ quick, log })
  result.proxy = proxy
  log('')
  log('proxy (wrk -c50 keep-alive, 612-byte page; 1 GiB download)')
  log(table(['path', 'req/s', 'p50 ms', 'p99 ms', 'bulk GB/s'], (['direct', 'haproxy', 'micronetes'] as const).map((name) => [
    name, String(proxy[name].requestsPerSec), proxy[name].p50Ms.toFixed(2), proxy[name].p99Ms.toFixed(2), proxy[name].bulkGBps.toFixed(2),
  ])))
  log(`micronetes / haproxy: ${proxy.ratioVsHaproxy}x req/s, ${proxy.bulkRatioVsHaproxy}x bulk`)
}

if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
process.exit(0)

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}
