// A replica in a cgroup of its own: every process it starts stays in it whatever it does to its
// session or process group (setsid, double fork), so stopping the cgroup stops them all, as
// systemd stops a unit. The replica is spawned through micronetes-launch (native/launch), which
// moves itself into the cgroup and then execs the replica: moving the spawned process
// afterwards would race with its first fork.
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readStat, signalEach } from '../proc'
import type { ReplicaContainer } from './replica-container'

const FREEZE_WAIT_MS = 1000

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function write(path: string, text: string): boolean {
  try {
    writeFileSync(path, text)
    return true
  } catch {
    return false
  }
}

function live(pid: number): boolean {
  const state = readStat(pid)?.state
  return state !== undefined && state !== 'Z' && state !== 'X'
}

export class CgroupContainer implements ReplicaContainer {
  private leader: { pid: number; startTime: number | undefined } | undefined

  private disposed = false

  constructor(
    readonly cgroupDir: string,
    private readonly options: {
      /** micronetes-launch; a failed move into the cgroup stops the start, so nothing runs uncontained */
      launcher?: string
      /** told once the cgroup is let go of */
      onDispose?: () => void
      /** as on kernels before 5.14, which have no cgroup.kill: freeze, then kill */
      withoutKillFile?: boolean
    } = {},
  ) {}

  /** file is a path already (resolved from PATH); argv0 is what the replica sees as its name */
  command(file: string, args: string[], argv0 = file): { file: string; args: string[] } {
    return { file: this.options.launcher ?? '', args: [join(this.cgroupDir, 'cgroup.procs'), file, argv0, ...args] }
  }

  started(pid: number, startTime = readStat(pid)?.startTime): void {
    this.leader = { pid, startTime }
  }

  /** the cgroup's live processes, and the leader in the instant before it has moved in */
  private members(): number[] {
    let pids: number[]
    try {
      pids = readFileSync(join(this.cgroupDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number)
    } catch {
      pids = []
    }
    const leader = this.leader
    if (leader && !pids.includes(leader.pid) && live(leader.pid) && readStat(leader.pid)?.startTime === leader.startTime) pids.push(leader.pid)
    return pids.filter(live)
  }

  alive(): boolean {
    return this.members().length > 0
  }

  signal(signal: NodeJS.Signals): boolean {
    return signalEach(this.members(), signal)
  }

  async kill(): Promise<void> {
    // cgroup.kill (v2, Linux 5.14+) kills every member at once, even one forking as it is read
    if (!this.options.withoutKillFile && write(join(this.cgroupDir, 'cgroup.kill'), '1')) {
      this.signal('SIGKILL') // the leader, should it not have moved in yet
      return
    }
    // else freeze it so nothing forks while the members are listed and killed (v2's
    // cgroup.freeze, v1's freezer); a frozen process still dies of SIGKILL once thawed
    const freezer = existsSync(join(this.cgroupDir, 'cgroup.freeze'))
      ? { file: 'cgroup.freeze', freeze: '1', thaw: '0', frozen: () => /^frozen 1$/m.test(this.read('cgroup.events')) }
      : existsSync(join(this.cgroupDir, 'freezer.state'))
        ? { file: 'freezer.state', freeze: 'FROZEN', thaw: 'THAWED', frozen: () => this.read('freezer.state').trim() === 'FROZEN' }
        : undefined
    if (freezer && write(join(this.cgroupDir, freezer.file), freezer.freeze)) {
      const deadline = Date.now() + FREEZE_WAIT_MS
      while (!freezer.frozen() && Date.now() < deadline) await delay(5)
      this.signal('SIGKILL')
      write(join(this.cgroupDir, freezer.file), freezer.thaw)
      return
    }
    // no freezer: kill what is listed until nothing is
    for (let round = 0; round < 20 && this.signal('SIGKILL'); round++) await delay(10)
  }

  private read(file: string): string {
    try {
      return readFileSync(join(this.cgroupDir, file), 'utf8')
    } catch {
      return ''
    }
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    try {
      rmdirSync(this.cgroupDir)
    } catch {
      // still busy or already gone: the next start's sweep removes a leftover
    }
    this.options.onDispose?.()
  }
}
