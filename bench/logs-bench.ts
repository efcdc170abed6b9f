// Log pipeline: one replica writes N MiB of log lines through `micronetes run`; the same
// writer piped into `cat > /dev/null` is the reference. The writer times itself, so both
// figures cover exactly the writing, which the reader paces through the pipe. The API's latency
// during a flood has its own reference: a bare Node server reading the same flood, sampled the
// same way (flood-reference-server.ts), the floor on this machine for any orchestrator on Node.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSamplerProcess } from './lib/api-sampler-process'
import { getText, percentile } from './lib/http-timing'
import { readLoopLateness, runMicronetes } from './lib/micronetes-cli'
import { freePort, waitForPort } from './lib/ports'
import { run, startProcess } from './lib/processes'

export interface LogFigures {
  mib: number
  /** the flood alone, as cat reads it alone */
  mbPerSec: number
  catMbPerSec: number
  ratioVsCat: number
  /** the larger of the two floods' */
  peakRssMb: number
  /** the second flood, with the API sampled */
  mbPerSecWithApi: number
  ratioVsCatWithApi: number
  apiP50Ms: number
  apiP99Ms: number
  apiSamples: number
  apiRequestsPerSec: number
  /** how late the sampler sent its requests (its own wait for the CPU), p99 */
  samplerLateP99Ms: number
  /** the sampler ran in a process of its own at nice -10 (where the bench may raise priority) */
  samplerNiced: boolean
  /** how late micronetes run's event loop ran a 1 ms timer during the sampled flood */
  loopLateP50Ms: number
  loopLateP99Ms: number
  loopLateMaxMs: number
  /** the floor: the same sampler against a bare Node server reading the same flood (flood-reference-server.ts) */
  referenceApiP50Ms: number
  referenceApiP99Ms: number
  referenceSamplerLateP99Ms: number
  /** apiP99Ms / referenceApiP99Ms */
  apiP99VsReference: number
}

/** the API's latency is sampled this often during the second flood (1,000 requests/s, open loop) */
const API_SAMPLE_INTERVAL_MS = 1

const LINE = 'INFO 2026-11-26T12:00:00.000Z request handled method=GET path=/api/orders status=200 duration_ms=12'

/** a shell line that writes `bytes` of log lines and records its start and end (ns) in `timing` */
function writer(bytes: number, timing: string): string {
  return `s=$(date +%s%N); yes '${LINE}' | head -c ${bytes}; e=$(date +%s%N); echo "$s $e" > ${timing}`
}

/** the writer's start and end, wall clock ms */
function window(timing: string): { start: number; end: number } {
  const [start, end] = readFileSync(timing, 'utf8').trim().split(' ').map(Number)
  return { start: (start as number) / 1e6, end: (end as number) / 1e6 }
}

function seconds(timing: string): number {
  const { start, end } = window(timing)
  return (end - start) / 1e3
}

function finished(timing: string): boolean {
  return existsSync(timing) && readFileSync(timing, 'utf8').trim().split(' ').length === 2
}

interface Flood {
  mbPerSec: number
  peakRssMb: number
  /** latencies of the API requests due while the writer ran, when sampled */
  latencies: number[]
  /** the sampler's own lateness for those requests */
  sendLate: number[]
  /** micronetes run's event-loop lateness while the writer ran, when sampled */
  loopLate: number[]
  /** the sampler ran at a raised priority (nice -10) */
  samplerNiced: boolean
}

/** one replica writes `bytes` of log lines through a fresh `micronetes run` */
async function flood(dir: string, name: string, bytes: number, sampleApi: boolean): Promise<Flood> {
  const timing = join(dir, `${name}.timing`)
  const app = join(dir, `${name}.yaml`)
  await writeFile(app, [
    'name: log-flood',
    'services:',
    '  - name: flood',
    '    executable: sh',
    `    args: ${JSON.stringify(['-c', `sleep 1; ${writer(bytes, timing)}; sleep 3600`])}`,
    '',
  ].join('\n'))
  const loopFile = join(dir, `${name}.loop.json`)
  const cli = await runMicronetes(app, sampleApi ? { loopLatenessFile: loopFile } : {})
  let measured: Omit<Flood, 'loopLate' | 'samplerNiced'> | undefined
  let niced: boolean | undefined
  let window_: { start: number; end: number } | undefined
  try {
    // requests go out on a fixed schedule from before the flood to its end; those due while
    // the writer ran are the flood's samples
    const sampler = sampleApi ? await startSamplerProcess(`${cli.apiUrl}/api/v1/services`, API_SAMPLE_INTERVAL_MS) : undefined
    const deadline = Date.now() + 600_000
    while (!finished(timing)) {
      if (Date.now() > deadline) {
        await sampler?.stop().catch(() => undefined)
        throw new Error('the log flood did not finish within 10 minutes')
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const { start, end } = window(timing)
    window_ = { start, end }
    const stopped = sampler ? await sampler.stop() : { samples: [], niced: false }
    const samples = stopped.samples
    niced = stopped.niced
    const due = samples.filter((s) => s.dueAt >= start && s.dueAt <= end)
    const latencies = due.map((s) => s.latencyMs)
    if (sampler && latencies.length === 0) throw new Error('no API request was due during the flood')
    // the orchestrator kept everything it was sent: the last line is in its log
    const tail = await getText(`${cli.apiUrl}/api/v1/logs/flood`)
    if (!tail.body.includes('request handled')) throw new Error('the flood\'s lines are missing from the log API')
    measured = { mbPerSec: bytes / 1e6 / seconds(timing), peakRssMb: cli.peakRssMb(), latencies, sendLate: due.map((s) => s.sendLateMs) }
  } finally {
    await cli.stop()
  }
  // the timer's stamps are written as micronetes run exits
  const loopLate = sampleApi && window_ ? readLoopLateness(loopFile, window_.start, window_.end) : []
  return { ...measured, loopLate, samplerNiced: niced ?? false }
}

/** the same flood read by a bare Node server (flood-reference-server.ts), its API sampled the same way */
async function referenceFlood(dir: string, bytes: number): Promise<{ latencies: number[]; sendLate: number[] }> {
  const timing = join(dir, 'reference.timing')
  const port = await freePort()
  const server = startProcess(process.execPath, [new URL('./flood-reference-server.mjs', import.meta.url).pathname, String(port), writer(bytes, timing)])
  try {
    await waitForPort(port, server, '127.0.0.1', 30_000)
    const sampler = await startSamplerProcess(`http://127.0.0.1:${port}/`, API_SAMPLE_INTERVAL_MS)
    const deadline = Date.now() + 600_000
    while (!finished(timing)) {
      if (Date.now() > deadline) {
        await sampler.stop().catch(() => undefined)
        throw new Error('the reference flood did not finish within 10 minutes')
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const { start, end } = window(timing)
    const due = (await sampler.stop()).samples.filter((s) => s.dueAt >= start && s.dueAt <= end)
    if (due.length === 0) throw new Error('no request to the reference server was due during its flood')
    return { latencies: due.map((s) => s.latencyMs), sendLate: due.map((s) => s.sendLateMs) }
  } finally {
    await server.stop()
  }
}

export async function logsBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<LogFigures> {
  const mib = quick ? 100 : 500
  const bytes = mib * 1024 * 1024
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-logs-'))
  try {
    const catTiming = join(dir, 'cat.timing')
    await run('sh', ['-c', `(${writer(bytes, catTiming)}) | cat > /dev/null`], 300_000)
    const catMbPerSec = bytes / 1e6 / seconds(catTiming)
    log(`logs: cat > /dev/null took ${mib} MiB at ${catMbPerSec.toFixed(0)} MB/s`)

    // ingest is compared with cat as cat runs, alone; the API's latency is measured in a
    // second flood, whose ingest is given too (the sampler's requests cost micronetes run CPU,
    // and the sampler itself takes CPU from the same two cores)
    const alone = await flood(dir, 'alone', bytes, false)
    log(`logs: micronetes took ${mib} MiB at ${alone.mbPerSec.toFixed(0)} MB/s alone, peak RSS ${alone.peakRssMb} MB`)
    const sampled = await flood(dir, 'sampled', bytes, true)
    const reference = await referenceFlood(dir, bytes)
    const referenceApiP99Ms = round2(percentile(reference.latencies, 99))
    const figures: LogFigures = {
      mib,
      mbPerSec: Math.round(alone.mbPerSec),
      catMbPerSec: Math.round(catMbPerSec),
      ratioVsCat: round2(alone.mbPerSec / catMbPerSec),
      peakRssMb: Math.max(alone.peakRssMb, sampled.peakRssMb),
      mbPerSecWithApi: Math.round(sampled.mbPerSec),
      ratioVsCatWithApi: round2(sampled.mbPerSec / catMbPerSec),
      apiP50Ms: round2(percentile(sampled.latencies, 50)),
      apiP99Ms: round2(percentile(sampled.latencies, 99)),
      apiSamples: sampled.latencies.length,
      apiRequestsPerSec: 1000 / API_SAMPLE_INTERVAL_MS,
      samplerLateP99Ms: round2(percentile(sampled.sendLate, 99)),
      samplerNiced: sampled.samplerNiced,
      loopLateP50Ms: round2(percentile(sampled.loopLate, 50)),
      loopLateP99Ms: round2(percentile(sampled.loopLate, 99)),
      loopLateMaxMs: round2(Math.max(...sampled.loopLate)),
      referenceApiP50Ms: round2(percentile(reference.latencies, 50)),
      referenceApiP99Ms,
      referenceSamplerLateP99Ms: round2(percentile(reference.sendLate, 99)),
      apiP99VsReference: round2(percentile(sampled.latencies, 99) / referenceApiP99Ms),
    }
    log(`logs: with the API sampled, ${figures.mbPerSecWithApi} MB/s, peak RSS ${sampled.peakRssMb} MB, API p99 ${figures.apiP99Ms} ms over the ${figures.apiSamples} requests due during the flood (${figures.apiRequestsPerSec}/s, open loop); the sampler (${figures.samplerNiced ? 'nice -10' : 'at normal priority'}) sent late by ${figures.samplerLateP99Ms} ms p99; micronetes run's event loop late p50 ${figures.loopLateP50Ms}, p99 ${figures.loopLateP99Ms}, max ${figures.loopLateMaxMs} ms`)
    log(`logs: the floor, a bare Node server reading the same flood: API p50 ${figures.referenceApiP50Ms}, p99 ${figures.referenceApiP99Ms} ms (the sampler late by ${figures.referenceSamplerLateP99Ms} ms p99); micronetes run's p99 is ${figures.apiP99VsReference}x it`)
    return figures
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
