// The real `micronetes run` as a user starts it (the bundled CLI), on a free API port.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

export async function runMicronetes(appYaml: string): Promise<RunningCli> {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' })
    built = true
  }
  const port = await freePort()
  const cli = startProcess(process.execPath, ['out/cli/micronetes.js', 'run', appYaml, '--port', String(port), '--no-dashboard'])
  await waitForPort(port, cli, '127.0.0.1', 30_000)
  const pid = cli.child.pid as number
  return {
    process: cli,
    apiUrl: `http://127.0.0.1:${port}`,
    peakRssMb() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN)
      return Math.round(kb / 1024)
    },
    stop: () => cli.stop(),
  }
}
