// The benchmark runner: `npm run bench [-- --quick] [-- --json] [-- --only startup,footprint,proxy,logs,flood,scale,sampling,live,api,ui]`.
// Progress and a table go to stderr; with --json one object goes to stdout.
import { apiBench } from './api-bench'
import { floodBench } from './flood-bench'
import { footprintBench } from './footprint-bench'
import { liveBench } from './live-bench'
import { commandExists } from './lib/processes'
import { logsBench } from './logs-bench'
import { proxyBench } from './proxy-bench'
import { samplingBench } from './sampling-bench'
import { scaleBench } from './scale-bench'
import { startupBench } from './startup-bench'
import { uiBench } from './ui-bench'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const json = args.includes('--json')
const onlyIndex = args.findIndex((a) => a === '--only' || a.startsWith('--only='))
const onlyArg = onlyIndex === -1 ? undefined : (args[onlyIndex] as string).includes('=') ? (args[onlyIndex] as string).split('=')[1] : args[onlyIndex + 1]
const only = onlyArg?.split(',')
const wanted = (section: string): boolean => !only || only.includes(section)
const log = (line: string): void => { process.stderr.write(`${line}\n`) }
// Debian puts nginx and haproxy in /usr/sbin, which a normal user's PATH often lacks
process.env.PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`

if (wanted('proxy')) {
  const missing = []
  for (const tool of ['wrk', 'nginx', 'haproxy', 'curl']) if (!(await commandExists(tool))) missing.push(tool)
  if (missing.length > 0) {
    log(`bench: missing ${missing.join(', ')}; run bench/setup.sh (apt-get install wrk nginx haproxy curl)`)
    process.exit(1)
  }
}

const result: Record<string, unknown> = { quick, startedAt: new Date().toISOString() }
const tables: string[] = []
const opts = { quick, log }

if (wanted('startup')) {
  const startup = startupBench(opts)
  result.startup = startup
  tables.push([
    `startup: micronetes validate examples/app.yaml against node -e 0, alternating, medians of ${startup.runs} runs each`,
    table(['who', 'wall ms', 'CPU ms'], [
      ['node -e 0', String(startup.nodeMs), String(startup.nodeCpuMs)],
      ['micronetes validate', String(startup.validateMs), String(startup.validateCpuMs)],
    ]),
    `validate / node: ${startup.ratio}x wall, ${startup.cpuRatio}x CPU`,
  ].join('\n'))
}
if (wanted('footprint')) {
  const footprint = await footprintBench(opts)
  result.footprint = footprint
  tables.push([
    'footprint: resident memory of Micronetes\' processes, examples/app.yaml running and idle',
    table(['process', 'RSS MB'], [
      ...footprint.processes.map((p) => [p.command.length > 70 ? `${p.command.slice(0, 67)}...` : p.command, p.rssMb.toFixed(1)]),
      ['all of them', footprint.totalRssMb.toFixed(1)],
      ["bare node -e 'setInterval(()=>{},1e3)'", footprint.nodeRssMb.toFixed(1)],
    ]),
  ].join('\n'))
}
if (wanted('proxy')) {
  const proxy = await proxyBench(opts)
  result.proxy = proxy
  const rows = [
    ['direct', proxy.direct] as const,
    ['haproxy', proxy.haproxy] as const,
    ...proxy.runtimes.map((r) => [`micronetes (${r.engine === 'native' ? 'native relay' : r.node}, ${r.threads} thread${r.threads > 1 ? 's' : ''})`, r] as const),
  ]
  tables.push([
    'proxy: wrk -t2 -c50 keep-alive for a 612-byte page through two nginx; one 1 GiB download',
    table(['path', 'req/s', 'p50 ms', 'p99 ms', 'bulk GB/s', 'new-conn req/s', 'CPU us/req', 'CPU s/GiB'], rows.map(([name, f]) => [
      name, String(f.requestsPerSec), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2), f.bulkGBps.toFixed(2),
      String(f.newConnectionRequestsPerSec),
      f.cpuUsPerRequest?.toFixed(1) ?? '-', f.cpuSecondsPerGiB?.toFixed(2) ?? '-',
    ])),
    ...proxy.runtimes.map((r) => [
      `micronetes ${r.engine === 'native' ? 'native relay' : `on ${r.node}`} / haproxy (median of paired rounds): ${r.ratioVsHaproxy}x req/s, ${r.bulkRatioVsHaproxy}x bulk GB/s, ${r.newConnectionRatioVsHaproxy}x req/s with a new connection each`,
      `  rounds: req/s ${r.rounds.ratioVsHaproxy.join(' ')}; bulk ${r.rounds.bulkRatioVsHaproxy.join(' ')}; new-conn ${r.rounds.newConnectionRatioVsHaproxy.join(' ')}`,
    ].join('\n')),
  ].join('\n'))
}
if (wanted('logs')) {
  const logs = await logsBench(opts)
  result.logs = logs
  tables.push([
    `logs: ${logs.mib} MiB of log lines from one replica`,
    table(['reader', 'MB/s', 'ratio'], [
      ['cat > /dev/null', String(logs.catMbPerSec), '1'],
      ['micronetes run', String(logs.mbPerSec), String(logs.ratioVsCat)],
      [`micronetes run, API sampled ${logs.apiRequestsPerSec}/s`, String(logs.mbPerSecWithApi), String(logs.ratioVsCatWithApi)],
    ]),
    `micronetes / cat: ${logs.ratioVsCat}x; peak RSS ${logs.peakRssMb} MB; API p50 ${logs.apiP50Ms} ms, p99 ${logs.apiP99Ms} ms during the flood (GET /api/v1/services on a fixed schedule, ${logs.apiSamples} due during the flood)`,
    `the sampler (its own process, ${logs.samplerNiced ? 'at nice -10' : 'at normal priority: not root'}) sent late by up to ${logs.samplerLateP99Ms} ms (p99); micronetes run's event loop ran a 1 ms timer late by p50 ${logs.loopLateP50Ms}, p99 ${logs.loopLateP99Ms}, max ${logs.loopLateMaxMs} ms`,
    `the floor, a bare Node server reading the same flood and sampled the same way: API p50 ${logs.referenceApiP50Ms} ms, p99 ${logs.referenceApiP99Ms} ms; micronetes run's p99 / the floor's: ${logs.apiP99VsReference}x`,
  ].join('\n'))
}
if (wanted('flood')) {
  const flood = await floodBench(opts)
  result.flood = flood
  tables.push([
    'proxy under a log flood: wrk -t1 -c10 through a binding of micronetes run (a node http replica)',
    table(['while', 'req/s', 'p50 ms', 'p99 ms'], [
      ['quiet', String(Math.round(flood.quiet.requestsPerSec)), flood.quiet.p50Ms.toFixed(2), flood.quiet.p99Ms.toFixed(2)],
      ['log flood', String(Math.round(flood.flood.requestsPerSec)), flood.flood.p50Ms.toFixed(2), flood.flood.p99Ms.toFixed(2)],
    ]),
  ].join('\n'))
}
if (wanted('live')) {
  const live = await liveBench(opts)
  result.live = live
  tables.push([
    `live: save to ready, a watched file written until the new replica is ready (debounce ${live.debounceMs} ms included), against a cold start of the same service (open to ready); ${live.rounds} rounds`,
    table(['what', 'median ms', 'rounds ms'], [
      ['cold start', String(live.medianColdStartMs), live.coldStartMs.map((ms) => ms.toFixed(0)).join(' ')],
      ['save to ready', String(live.medianSaveToReadyMs), live.saveToReadyMs.map((ms) => ms.toFixed(0)).join(' ')],
    ]),
  ].join('\n'))
}
if (wanted('scale')) {
  const scale = await scaleBench(opts)
  result.scale = scale
  tables.push([
    'scale: 200 replicas of `sleep 3600`',
    table(['who', 'start ms', 'stop ms'], [
      ['bare spawn loop', String(scale.bareSpawn200Ms), String(scale.bareStop200Ms)],
      ...(scale.launcherSpawn200Ms !== undefined ? [['spawn loop through micronetes-launch, a cgroup each', String(scale.launcherSpawn200Ms), '-']] : []),
      ['micronetes', String(scale.start200Ms), String(scale.stop200Ms)],
    ]),
    `micronetes / bare loop (median of ${scale.rounds.length} paired rounds): ${scale.ratio}x to have all running${scale.launcherRatio !== undefined ? `; through micronetes-launch alone: ${scale.launcherRatio}x` : ''}`,
  ].join('\n'))
}
if (wanted('sampling')) {
  const sampling = await samplingBench(opts)
  result.sampling = sampling
  tables.push([
    `sampling: CPU and memory of ${sampling.replicas} replicas read each second, the orchestrator's own CPU over ${sampling.windowSeconds} s`,
    table(['sampler', 'CPU % of a core'], [
      ['off', String(sampling.cpuPercentWithoutSampling)],
      ['each second', String(sampling.cpuPercentWithSampling)],
    ]),
    `cost of sampling: ${sampling.samplingCostPercent}% of one core (target < 2%); one reading ${sampling.meanSampleMs} ms; rounds off ${sampling.rounds.without.join(' ')}, on ${sampling.rounds.with.join(' ')}`,
  ].join('\n'))
}
if (wanted('api')) {
  const api = await apiBench(opts)
  result.api = api
  tables.push(`api: GET /api/v1/services with 200 replicas (${api.responseKb} KB): p50 ${api.p50Ms} ms, p99 ${api.p99Ms} ms over ${api.requests} requests`)
}
if (wanted('ui')) {
  const ui = await uiBench(opts)
  result.ui = ui
  tables.push([
    `ui: the dashboard in headless Chromium, one replica printing ${ui.linesPerSecondWritten} lines/s, ${ui.clicks} clicks between its log tabs over ${ui.seconds} s`,
    table(['figure', 'p50', 'p95', 'max'], [
      ['click to painted frame ms', String(ui.clickToFrameMs.p50), String(ui.clickToFrameMs.p95), String(ui.clickToFrameMs.max)],
      ['frame interval ms', String(ui.frameIntervalMs.p50), String(ui.frameIntervalMs.p95), String(ui.frameIntervalMs.max)],
    ]),
    `lines/s shown ${ui.linesPerSecondShown} of ${ui.linesPerSecondWritten} written; long tasks ${ui.longTasks.count} (${ui.longTasks.totalMs} ms, max ${ui.longTasks.maxMs}); heap after GC ${ui.heapMb.firstAfterGc} -> ${ui.heapMb.lastAfterGc} MB (max ${ui.heapMb.maxBetween}); DOM nodes ${ui.domNodes.first} -> ${ui.domNodes.last}`,
  ].join('\n'))
}

log('')
log(tables.join('\n\n'))
if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
process.exit(0)

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}
