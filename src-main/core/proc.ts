// What Linux's /proc says about processes: state, process group, start time. Elsewhere these
// answer "unknown" and callers fall back to what process.kill can tell.
import { readFileSync, readdirSync } from 'node:fs'

export interface ProcStat {
  pid: number
  /** R, S, D, Z, T, ... */
  state: string
  ppid: number
  pgrp: number
  /** the session: a process that calls setsid() leaves its group and its session */
  session: number
  /** clock ticks after boot: with the pid, names one process for good (pids are reused) */
  startTime: number
}

export const hasProc = process.platform === 'linux'

export function readStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // the command name (field 2) may hold spaces and parentheses: parse after its last ')'
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ')
  const state = fields[0] ?? '?'
  return {
    pid,
    state,
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    session: Number(fields[3]),
    startTime: Number(fields[19]),
  }
}

export function listPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
}

/** how long one reading of the process table answers for: many groups stopping at once share it */
const SNAPSHOT_TTL_MS = 20
interface ProcSnapshot {
  at: number
  /** live members by process group */
  groups: Map<number, ProcStat[]>
  /** group leaders seen in any state, zombies included */
  leaders: Set<number>
  /** every live process */
  all: ProcStat[]
}
let snapshot: ProcSnapshot | undefined

function readSnapshot(fresh = false): ProcSnapshot {
  const now = Date.now()
  if (!fresh && snapshot && now - snapshot.at < SNAPSHOT_TTL_MS) return snapshot
  const groups = new Map<number, ProcStat[]>()
  const leaders = new Set<number>()
  const all: ProcStat[] = []
  for (const pid of listPids()) {
    const stat = readStat(pid)
    if (!stat) continue
    if (stat.pgrp === pid) leaders.add(pid)
    if (stat.state === 'Z' || stat.state === 'X') continue
    all.push(stat)
    const members = groups.get(stat.pgrp)
    if (members) members.push(stat)
    else groups.set(stat.pgrp, [stat])
  }
  snapshot = { at: now, groups, leaders, all }
  return snapshot
}

function liveGroups(fresh = false): Map<number, ProcStat[]> {
  return readSnapshot(fresh).groups
}

/** every live (not zombie) process, as of at most a few milliseconds ago */
export function liveProcesses(fresh = false): ProcStat[] {
  return readSnapshot(fresh).all
}

/** live (not zombie) members of a process group, as of at most a few milliseconds ago */
export function groupMembers(pgid: number): ProcStat[] {
  return [...(liveGroups().get(pgid) ?? [])]
}

/** whether a process group still has a live member; zombies waiting to be reaped do not count */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (!hasProc) return true
  const shared = readSnapshot()
  if ((shared.groups.get(pgid)?.length ?? 0) > 0) return true
  // the reading saw the group's leader (a zombie not yet reaped) and no live member: nothing of
  // the group was left to start another, so it is gone. Without this, many groups stopping at
  // once each read the whole process table again while their leaders wait to be reaped.
  if (shared.leaders.has(pgid)) return false
  // a group the shared reading does not show may be younger than it: look again before saying gone
  return (liveGroups(true).get(pgid)?.length ?? 0) > 0
}

/** whether a process is alive and not a zombie */
export function processAlive(pid: number): boolean {
  if (hasProc) {
    const stat = readStat(pid)
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function commandLineOf(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const text = raw.split('\0').filter(Boolean).join(' ')
    return text || undefined
  } catch {
    return undefined
  }
}

/** signal each of these processes; false when every one was already gone */
export function signalEach(pids: Iterable<number>, signal: NodeJS.Signals): boolean {
  let any = false
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
      any = true
    } catch {
      // gone meanwhile
    }
  }
  return any
}

/** signal a whole group; false when it is already gone */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}
