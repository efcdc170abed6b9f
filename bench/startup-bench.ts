// Start-up: `micronetes validate examples/app.yaml` (the bundled CLI, as bin/micronetes.cjs runs
// it) against bare `node -e 0`, run alternately so both see the same machine. Wall time, and CPU
// time (user + system of the waited-for child, from /proc/self/stat): on a shared machine CPU
// time moves less than wall time.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface StartupFigures {
  runs: number
  nodeMs: number
  validateMs: number
  /** validate / node, medians of wall time */
  ratio: number
  nodeCpuMs: number
  validateCpuMs: number
  cpuRatio: number
}

interface Timed { wallMs: number; cpuMs: number }

/** CPU time of this process's waited-for children so far: cutime + cstime, in ms (100 ticks a second) */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'utf8')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) * 10
}

function timed(args: string[]): Timed {
  const cpuBefore = childrenCpuMs()
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const wallMs = performance.now() - started
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`)
  return { wallMs, cpuMs: childrenCpuMs() - cpuBefore }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits

export function startupBench(opts: { quick: boolean; log: (line: string) => void }): StartupFigures {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' })
  const runs = opts.quick ? 5 : 15
  const node: Timed[] = []
  const validate: Timed[] = []
  for (let i = 0; i < runs; i++) {
    node.push(timed(['-e', '0']))
    validate.push(timed([process.env.MICRONETES_BENCH_CLI ?? 'bin/micronetes.cjs', 'validate', 'examples/app.yaml']))
  }
  const nodeMs = median(node.map((t) => t.wallMs))
  const validateMs = median(validate.map((t) => t.wallMs))
  const nodeCpuMs = median(node.map((t) => t.cpuMs))
  const validateCpuMs = median(validate.map((t) => t.cpuMs))
  const figures = {
    runs,
    nodeMs: round(nodeMs),
    validateMs: round(validateMs),
    ratio: round(validateMs / nodeMs, 2),
    nodeCpuMs,
    validateCpuMs,
    cpuRatio: round(validateCpuMs / nodeCpuMs, 2),
  }
  opts.log(`startup: validate ${figures.validateMs} ms against node -e 0 ${figures.nodeMs} ms (${figures.ratio}x)`)
  return figures
}
