// A replica without a cgroup: its process group, its session and, found by parentage, the
// descendants that left both (setsid) while their parent still lives. What it cannot find is a
// process that left the session AND lost its parent: the kernel hands it to init and nothing
// links it to the replica any more (docs/process-containment.md). Without /proc (macOS) only the
// process group is known.
import { hasProc, readStat, signalEach, signalGroup } from '../proc'
import type { ProcessTable } from '../process-table'
import type { ReplicaContainer } from './replica-container'

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

export class ProcessTreeContainer implements ReplicaContainer {
  readonly cgroupDir = undefined
  private leader: { pid: number; startTime: number | undefined } | undefined

  /** `table` is shared by the containers that stop together (process-table.ts) */
  constructor(private readonly table: ProcessTable) {}

  command(file: string, args: string[]): { file: string; args: string[] } {
    return { file, args }
  }

  started(pid: number, startTime = readStat(pid)?.startTime): void {
    this.leader = { pid, startTime }
  }

  /** live members; none once the group's id may have gone to someone else */
  private members(): number[] {
    const leader = this.leader
    if (!leader) return []
    const found = new Set<number>()
    // a shared reading a few milliseconds old may predate the replica: read again before saying none
    let table = this.table.liveProcesses()
    for (let fresh = false; ; fresh = true) {
      for (const stat of table) {
        if (stat.pgrp === leader.pid || stat.session === leader.pid) found.add(stat.pid)
      }
      if (found.size > 0) break
      if (fresh) return []
      table = this.table.liveProcesses(true)
    }
    // a reused pid: the leader is another process now, or the members are older than the replica
    const now = table.find((stat) => stat.pid === leader.pid)
    if (leader.startTime !== undefined) {
      if (now && now.startTime !== leader.startTime) return []
      if (!now && table.some((stat) => found.has(stat.pid) && stat.startTime < (leader.startTime as number))) return []
    }
    // then their descendants, whatever session or group they moved to
    let grew = true
    while (grew) {
      grew = false
      for (const stat of table) {
        if (!found.has(stat.pid) && found.has(stat.ppid)) {
          found.add(stat.pid)
          grew = true
        }
      }
    }
    return [...found]
  }

  alive(): boolean {
    if (!this.leader) return false
    if (!hasProc) return this.table.groupAlive(this.leader.pid)
    return this.members().length > 0
  }

  signal(signal: NodeJS.Signals): boolean {
    if (!this.leader) return false
    if (!hasProc) return signalGroup(this.leader.pid, signal)
    return signalEach(this.members(), signal)
  }

  async kill(): Promise<void> {
    // nothing freezes a process tree: kill what is found until nothing is
    for (let round = 0; round < 20 && this.signal('SIGKILL'); round++) await delay(10)
  }

  dispose(): void {}
}
