// The real `micronetes run` as a user starts it (the bundled CLI), on a free API port.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { getText } from './http-timing'
import { freePort, waitForPort } from './ports'
import { type Started, startProcess } from './processes'

export interface RunningCli {
  process: Started
  apiUrl: string
  /** peak resident memory so far, from /proc (VmHWM), in MB */
  peakRssMb(): number
  stop(): Promise<void>
}

let built = false

/** MICRONETES_BENCH_CLI: another build of the CLI bundle (kept inside the project, for its node_modules), to compare builds */
/**
 * `loopLatenessFile`: loads bench/loop-lateness.ts into the process, which writes its event
 * loop's lateness there when it exits (read it with readLoopLateness after stop)
 */
export async function runMicronetes(appYaml: string, options: { dashboard?: boolean; loopLatenessFile?: string } = {}): Promise<RunningCli> {
  const other = process.env.MICRONETES_BENCH_CLI
  if (!built && !other) {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' })
    built = true
  }
  const port = await freePort()
  const preload = options.loopLatenessFile ? ['--import', new URL('./loop-lateness.mjs', import.meta.url).href] : []
  const env = options.loopLatenessFile ? { ...process.env, MICRONETES_BENCH_LOOP_FILE: options.loopLatenessFile } : process.env
  const cli = startProcess(process.execPath, [...preload, other ?? 'bin/micronetes.cjs', 'run', appYaml, '--port', String(port), ...(options.dashboard ? [] : ['--no-dashboard'])], { env })
  await waitForPort(port, cli, '127.0.0.1', 30_000)
  // the API listens before the application is open; it answers 503 until then
  const apiUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  while ((await getText(`${apiUrl}/api/v1/services`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`micronetes run did not open ${appYaml} within 30 s: ${cli.stderrTail()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const pid = cli.child.pid as number
  return {
    process: cli,
    apiUrl,
    peakRssMb() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN)
      return Math.round(kb / 1024)
    },
    stop: () => cli.stop(),
  }
}

/** the lateness (ms) of the loop's 1 ms timer at each stamp from `start` to `end` (wall ms) */
export function readLoopLateness(file: string, start: number, end: number): number[] {
  const stamps = JSON.parse(readFileSync(file, 'utf8')) as number[]
  const late: number[] = []
  for (let i = 0; i + 1 < stamps.length; i += 2) {
    if ((stamps[i] as number) >= start && (stamps[i] as number) <= end) late.push(stamps[i + 1] as number)
  }
  return late
}
