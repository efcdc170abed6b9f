// Idle footprint: the resident memory of Micronetes' own processes together (the `micronetes run`
// process, the native relay, the orphan watchdog: every descendant that runs one of its helper programs (out/native, out/helpers),
// not the replicas) with examples/app.yaml running and settled, against a bare idle Node process
// (`node -e 'setInterval(()=>{},1e3)'`) measured in the same run. RSS from /proc/PID/status.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { getText } from './lib/http-timing'
import { runMicronetes } from './lib/micronetes-cli'
import { freePort } from './lib/ports'
import { startProcess } from './lib/processes'

export interface FootprintFigures {
  /** the bare idle Node process, MB */
  nodeRssMb: number
  /** Micronetes' processes together, MB */
  totalRssMb: number
  ratio: number
  processes: { command: string; rssMb: number }[]
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)
    return Math.round((kb / 1024) * 10) / 10
  } catch {
    return 0
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ')
  } catch {
    return ''
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

/** the root and those of its descendants that run one of Micronetes' helper programs */
function micronetesProcesses(root: number): number[] {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
  const descends = (pid: number): boolean => {
    for (let at: number | undefined = pid, hops = 0; at !== undefined && at > 1 && hops < 50; at = parentOf(at), hops++) if (at === root) return true
    return false
  }
  return [root, ...pids.filter((pid) => pid !== root && /\/(native|helpers)\/(micronetes-[a-z]+|orphan-watchdog\.cjs)( |$)/.test(commandLine(pid)) && descends(pid))]
}

/** examples/app.yaml on a free port instead of 5005, its folders given as absolute paths */
async function exampleOnFreePort(dir: string): Promise<string> {
  const examples = resolve('examples')
  const port = await freePort()
  const text = readFileSync(join(examples, 'app.yaml'), 'utf8')
    .replace(/- port: 5005/, `- port: ${port}`)
    .replace(/workingDirectory: (\S+)/g, (_, folder: string) => `workingDirectory: ${join(examples, folder)}`)
  const file = join(dir, 'app.yaml')
  await writeFile(file, text)
  return file
}

async function allReady(apiUrl: string, deadlineMs: number): Promise<void> {
  for (;;) {
    const services = JSON.parse((await getText(`${apiUrl}/api/v1/services`)).body) as { replicas: Record<string, { state: string }> }[]
    const states = services.flatMap((service) => Object.values(service.replicas).map((replica) => replica.state))
    if (states.length > 0 && states.every((state) => state === 'running' || state === 'ready')) return
    if (Date.now() > deadlineMs) throw new Error(`examples/app.yaml not running after 60 s: ${states.join(', ')}`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

export async function footprintBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<FootprintFigures> {
  const settleMs = quick ? 2000 : 8000
  const bare = startProcess(process.execPath, ['-e', 'setInterval(()=>{},1e3)'])
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-footprint-'))
  try {
    const cli = await runMicronetes(await exampleOnFreePort(dir))
    try {
      await allReady(cli.apiUrl, Date.now() + 60_000)
      // idle: start-up's garbage collected, nothing asked of the API meanwhile
      await new Promise((done) => setTimeout(done, settleMs))
      const processes = micronetesProcesses(cli.process.child.pid as number).map((pid) => ({ command: commandLine(pid), rssMb: rssMb(pid) }))
      const totalRssMb = Math.round(processes.reduce((sum, p) => sum + p.rssMb, 0) * 10) / 10
      const nodeRssMb = rssMb(bare.child.pid as number)
      const figures = { nodeRssMb, totalRssMb, ratio: Math.round((totalRssMb / nodeRssMb) * 100) / 100, processes }
      log(`footprint: ${totalRssMb} MB for ${processes.length} processes (bare idle node: ${nodeRssMb} MB)`)
      return figures
    } finally {
      await cli.stop()
    }
  } finally {
    await bare.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
