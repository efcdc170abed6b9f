// CPU seconds a process has used (all its threads), from /proc: on a shared machine, CPU per
// request is a steadier measure of a proxy's cost than requests/s alone.
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // fields after the command name, which may contain spaces, closed by the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / TICKS_PER_SECOND
}
