// CPU and memory of process replicas, each counted with all its descendants. A replica is
// started detached, so it leads its own session: every process it starts stays in that
// session even when it makes a process group of its own. On Linux one pass over /proc sums
// every session wanted; elsewhere pidusage measures the replica's own process.
import { readFileSync } from 'node:fs'
import pidusage from 'pidusage'
import { hasProc, listPids } from '../proc'

export interface Usage {
  cpuPercent: number
  memoryBytes: number
}

export interface ProcessMeter {
  /** by session leader (the replica's pid); a pid not found has no entry */
  measure(leaders: number[]): Promise<Map<number, Usage>>
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

  async measure(leaders: number[]): Promise<Map<number, Usage>> {
    const out = new Map<number, Usage>()
    if (leaders.length === 0) {
      this.previous.clear()
      return out
    }
    const wanted = new Set(leaders)
    const totals = new Map<number, SessionTotal>()
    for (const pid of listPids()) {
      const stat = readCounters(pid)
      if (!stat || !wanted.has(stat.session)) continue
      const total = totals.get(stat.session)
      if (total) {
        total.ticks += stat.ticks
        total.rssPages += stat.rssPages
      } else totals.set(stat.session, { ticks: stat.ticks, rssPages: stat.rssPages })
    }
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

function readCounters(pid: number): Counters | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return undefined
  }
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
