// Log pipeline: one replica writes N MiB of log lines through `micronetes run`; the same
// writer piped into `cat > /dev/null` is the reference. The writer times itself, so both
// figures cover exactly the writing, which the reader paces through the pipe.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getText, percentile, timeGet } from './lib/http-timing'
import { runMicronetes } from './lib/micronetes-cli'
import { run } from './lib/processes'

export interface LogFigures {
  mib: number
  mbPerSec: number
  catMbPerSec: number
  ratioVsCat: number
  peakRssMb: number
  apiP50Ms: number
  apiP99Ms: number
  apiSamples: number
}

const LINE = 'INFO 2026-11-26T12:00:00.000Z request handled method=GET path=/api/orders status=200 duration_ms=12'

/** a shell line that writes `bytes` of log lines and records its start and end (ns) in `timing` */
function writer(bytes: number, timing: string): string {
  return `s=$(date +%s%N); yes '${LINE}' | head -c ${bytes}; e=$(date +%s%N); echo "$s $e" > ${timing}`
}

function seconds(timing: string): number {
  const [start, end] = readFileSync(timing, 'utf8').trim().split(' ').map(Number)
  return ((end as number) - (start as number)) / 1e9
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

    const floodTiming = join(dir, 'flood.timing')
    const app = join(dir, 'app.yaml')
    await writeFile(app, [
      'name: log-flood',
      'services:',
      '  - name: flood',
      '    executable: sh',
      `    args: ${JSON.stringify(['-c', `sleep 1; ${writer(bytes, floodTiming)}; sleep 3600`])}`,
      '',
    ].join('\n'))
    const cli = await runMicronetes(app)
    try {
      const latencies: number[] = []
      const deadline = Date.now() + 600_000
      while (!existsSync(floodTiming) || readFileSync(floodTiming, 'utf8').trim().split(' ').length < 2) {
        if (Date.now() > deadline) throw new Error('the log flood did not finish within 10 minutes')
        latencies.push(await timeGet(`${cli.apiUrl}/api/v1/services`))
      }
      const mbPerSec = bytes / 1e6 / seconds(floodTiming)
      // the orchestrator kept everything it was sent: the last line is in its log
      const tail = await getText(`${cli.apiUrl}/api/v1/logs/flood`)
      if (!tail.body.includes('request handled')) throw new Error('the flood\'s lines are missing from the log API')
      const figures: LogFigures = {
        mib,
        mbPerSec: Math.round(mbPerSec),
        catMbPerSec: Math.round(catMbPerSec),
        ratioVsCat: Math.round((mbPerSec / catMbPerSec) * 100) / 100,
        peakRssMb: cli.peakRssMb(),
        apiP50Ms: round2(percentile(latencies, 50)),
        apiP99Ms: round2(percentile(latencies, 99)),
        apiSamples: latencies.length,
      }
      log(`logs: micronetes took ${mib} MiB at ${figures.mbPerSec} MB/s, peak RSS ${figures.peakRssMb} MB, API p99 ${figures.apiP99Ms} ms over ${latencies.length} requests`)
      return figures
    } finally {
      await cli.stop()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
