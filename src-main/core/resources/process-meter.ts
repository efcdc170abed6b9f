// CPU and memory of process replicas, each counted with all its descendants. Where a replica
// has a cgroup of its own (see containment/), the kernel's accounting of that cgroup is used:
// it counts every process ever in it, even one that left the session. Otherwise: a replica is
// started detached, so it leads its own session, and every process it starts stays in that
// session even when it makes a process group of its own; one pass over /proc sums every
// session wanted. Elsewhere than Linux, pidusage measures the replica's own process.
import { existsSync, readFileSync } from 'node:fs'
import { OpenFiles } from './open-files'
import pidusage from 'pidusage'
import { ownCgroups } from '../containment/cgroup-hierarchy'
import { hasProc, listPids } from '../proc'

export interface Usage {
  cpuPercent: number
  memoryBytes: number
}

export interface ProcessMeter {
  /** by session leader (the replica's pid); a pid not found has no entry */
  measure(leaders: number[]): Promise<Map<number, Usage>>
  /** lets go of files kept open between readings */
  close?(): void
}

/** USER_HZ: 100 on every Linux architecture Node runs on */
const TICKS_PER_SECOND = 100

interface SessionTotal {
  ticks: number
  rssPages: number
}

interface Previous {
  ticks: number
  at: number
}

export function createProcessMeter(): ProcessMeter {
  return hasProc ? new ProcMeter() : new PidusageMeter()
}

export class ProcMeter implements ProcessMeter {
  private previous = new Map<number, Previous>()
  private readonly pageSize = pageSizeOfThisMachine()
  /** per leader, its own cgroup v2 directory, or null when it has none (a leader keeps its cgroup) */
  private cgroups = new Map<number, string | null>()
  private readonly place = cgroupPlace()
  private readonly files = new OpenFiles()
  /** per cgroup directory, whether it has memory.current (the memory controller is on or not for good) */
  private readonly memoryFile = new Map<string, boolean>()

  async measure(leaders: number[]): Promise<Map<number, Usage>> {
    const out = new Map<number, Usage>()
    if (leaders.length === 0) {
      this.previous.clear()
      this.cgroups.clear()
      this.files.close()
      return out
    }
    const totals = new Map<number, SessionTotal>()
    const cgroups = new Map<number, string | null>()
    const wanted = new Set<number>()
    for (const leader of leaders) {
      const dir = this.cgroups.has(leader) ? this.cgroups.get(leader)! : this.cgroupOf(leader)
      cgroups.set(leader, dir)
      const total = dir ? this.readCgroup(dir) : undefined
      if (total) totals.set(leader, total)
      else wanted.add(leader)
    }
    this.cgroups = cgroups
    const dirs = new Set(cgroups.values())
    for (const dir of this.memoryFile.keys()) if (!dirs.has(dir)) this.memoryFile.delete(dir)
    if (wanted.size > 0) this.walkSessions(wanted, totals)
    this.files.endTurn()
    return this.usages(totals)
  }

  close(): void {
    this.files.close()
  }

  /** the replica's own cgroup v2 directory when it is in one (not the one Micronetes itself is in) */
  private cgroupOf(leader: number): string | null {
    if (!this.place) return null
    let text: string
    try {
      text = readFileSync(`/proc/${leader}/cgroup`, 'utf8')
    } catch {
      return null
    }
    const dir = ownCgroups(this.place.mountinfo, text).find((p) => p.version === 2)?.dir
    return dir && dir !== this.place.own && existsSync(`${dir}/cpu.stat`) ? dir : null
  }

  /** CPU from cpu.stat; memory from memory.current where the memory controller is on, else its processes' RSS */
  private readCgroup(dir: string): SessionTotal | undefined {
    const stat = this.files.read(`${dir}/cpu.stat`)
    const usec = Number(stat && /^usage_usec (\d+)$/m.exec(stat)?.[1])
    if (!stat || !Number.isFinite(usec)) return undefined
    const ticks = (usec / 1e6) * TICKS_PER_SECOND
    let hasMemory = this.memoryFile.get(dir)
    if (hasMemory === undefined) this.memoryFile.set(dir, (hasMemory = existsSync(`${dir}/memory.current`)))
    if (hasMemory) {
      const current = this.files.read(`${dir}/memory.current`)
      if (current !== undefined) return { ticks, rssPages: Number(current) / this.pageSize }
    }
    let rssPages = 0
    for (const pid of (this.files.read(`${dir}/cgroup.procs`) ?? '').split('\n')) {
      if (pid) rssPages += readCounters(Number(pid), this.files)?.rssPages ?? 0
    }
    return { ticks, rssPages }
  }

  private walkSessions(wanted: Set<number>, totals: Map<number, SessionTotal>): void {
    for (const pid of listPids()) {
      const stat = readCounters(pid, this.files)
      if (!stat || !wanted.has(stat.session)) continue
      const total = totals.get(stat.session)
      if (total) {
        total.ticks += stat.ticks
        total.rssPages += stat.rssPages
      } else totals.set(stat.session, { ticks: stat.ticks, rssPages: stat.rssPages })
    }
  }

  private usages(totals: Map<number, SessionTotal>): Map<number, Usage> {
    const out = new Map<number, Usage>()
    const now = performance.now()
    const next = new Map<number, Previous>()
    for (const [leader, total] of totals) {
      const before = this.previous.get(leader)
      // a member that exits and is not reaped inside the session takes its ticks with it:
      // the sum can go down, which is no negative CPU
      const seconds = before ? (now - before.at) / 1000 : 0
      const cpuPercent = before && seconds > 0 ? Math.max(0, ((total.ticks - before.ticks) / TICKS_PER_SECOND / seconds) * 100) : 0
      out.set(leader, { cpuPercent, memoryBytes: total.rssPages * this.pageSize })
      next.set(leader, { ticks: total.ticks, at: now })
    }
    this.previous = next
    return out
  }
}

interface Counters {
  session: number
  /** own CPU plus that of the children it has reaped */
  ticks: number
  rssPages: number
}

function readCounters(pid: number, files?: OpenFiles): Counters | undefined {
  let text: string | undefined
  if (files) text = files.read(`/proc/${pid}/stat`)
  else {
    try {
      text = readFileSync(`/proc/${pid}/stat`, 'latin1')
    } catch {
      return undefined
    }
  }
  if (text === undefined) return undefined
  // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  if (state === 'Z' || state === 'X') return undefined
  // fields from 3 on, counted from 0 here: session 3, utime 11, stime 12, cutime 13, cstime 14, rss 21
  return {
    session: Number(fields[3]),
    ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    rssPages: Number(fields[21]),
  }
}

/** /proc counts resident memory in pages; this process's own RSS, known in bytes, gives their size */
/** where cgroups are mounted and which v2 cgroup Micronetes itself is in, read once */
function cgroupPlace(): { mountinfo: string; own: string | undefined } | undefined {
  try {
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')
    const own = ownCgroups(mountinfo, readFileSync('/proc/self/cgroup', 'utf8')).find((p) => p.version === 2)?.dir
    return { mountinfo, own }
  } catch {
    return undefined
  }
}

function pageSizeOfThisMachine(): number {
  const own = readCounters(process.pid)
  const rss = process.memoryUsage.rss()
  if (!own || own.rssPages <= 0) return 4096
  const guess = rss / own.rssPages
  for (const size of [4096, 16384, 65536]) if (guess < size * 1.5) return size
  return 4096
}

class PidusageMeter implements ProcessMeter {
  async measure(leaders: number[]): Promise<Map<number, Usage>> {
    const out = new Map<number, Usage>()
    if (leaders.length === 0) return out
    try {
      const stats = await pidusage(leaders)
      for (const [pid, stat] of Object.entries(stats)) {
        if (stat) out.set(Number(pid), { cpuPercent: stat.cpu, memoryBytes: stat.memory })
      }
    } catch {
      // a process that exited between listing and sampling: no figure this time
    }
    return out
  }
}
