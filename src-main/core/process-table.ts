// One reading of the whole process table (/proc), shared for a few milliseconds: many process
// groups stopping at once (an application's replicas) each ask whether theirs is still alive,
// and one reading answers them all. Held by the containment that makes process-tree containers
// (containment.ts), and by the orphan watchdog for the replicas it stops.
import { hasProc, listPids, readStat, type ProcStat } from './proc'

/** how long one reading of the process table answers for */
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

export class ProcessTable {
  private snapshot: ProcSnapshot | undefined

  /** every live (not zombie) process, as of at most a few milliseconds ago (`fresh`: as of now) */
  liveProcesses(fresh = false): ProcStat[] {
    return this.read(fresh).all
  }

  /** live (not zombie) members of a process group, as of at most a few milliseconds ago */
  groupMembers(pgid: number): ProcStat[] {
    return [...(this.read().groups.get(pgid) ?? [])]
  }

  /** whether a process group still has a live member; zombies waiting to be reaped do not count */
  groupAlive(pgid: number): boolean {
    try {
      process.kill(-pgid, 0)
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'
    }
    if (!hasProc) return true
    const shared = this.read()
    if ((shared.groups.get(pgid)?.length ?? 0) > 0) return true
    // the reading saw the group's leader (a zombie not yet reaped) and no live member: nothing of
    // the group was left to start another, so it is gone. Without this, many groups stopping at
    // once each read the whole process table again while their leaders wait to be reaped.
    if (shared.leaders.has(pgid)) return false
    // a group the shared reading does not show may be younger than it: look again before saying gone
    return (this.read(true).groups.get(pgid)?.length ?? 0) > 0
  }

  private read(fresh = false): ProcSnapshot {
    const now = Date.now()
    if (!fresh && this.snapshot && now - this.snapshot.at < SNAPSHOT_TTL_MS) return this.snapshot
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
    this.snapshot = { at: now, groups, leaders, all }
    return this.snapshot
  }
}
