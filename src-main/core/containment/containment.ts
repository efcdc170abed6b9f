// Chooses what holds replicas on this machine: a cgroup per replica where this process may
// create one under its own cgroup and move a process into it (cgroup v2 delegated to the user,
// or either version as root), else the process tree. The choice is tried, not assumed: a
// throwaway process is moved into a throwaway cgroup first.
import { randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nativeHelper } from '../helper-entry'
import { hasProc, processAlive } from '../proc'
import { ProcessTable } from '../process-table'
import { ownCgroups, type CgroupPlace } from './cgroup-hierarchy'
import { CgroupContainer } from './cgroup-container'
import { windowsTools } from '../platform/windows-tools'
import { WindowsTreeContainer, type WindowsTools } from '../platform/windows-tree-container'
import { ProcessTreeContainer } from './process-tree-container'
import type { Containment, ReplicaContainer } from './replica-container'

export type ContainmentKind = 'cgroup v2' | 'cgroup v1' | 'process tree' | 'windows process tree'

const BASE_PREFIX = 'micronetes-'

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function removeDir(path: string): boolean {
  try {
    rmdirSync(path)
    return true
  } catch {
    return false
  }
}

/** kills what a dead orchestrator (and its dead guard) left in its cgroups, then removes them */
function sweepLeftovers(ownDir: string): void {
  let names: string[]
  try {
    names = readdirSync(ownDir)
  } catch {
    return
  }
  for (const name of names) {
    const owner = /^micronetes-(\d+)-[0-9a-f]+$/.exec(name)
    if (!owner || processAlive(Number(owner[1]))) continue
    const base = join(ownDir, name)
    let replicas: string[] = []
    try {
      replicas = readdirSync(base, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(base, entry.name))
    } catch {
      // gone meanwhile
    }
    for (const dir of replicas) {
      try {
        writeFileSync(join(dir, 'cgroup.kill'), '1')
      } catch {
        for (const pid of read(join(dir, 'cgroup.procs')).split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL')
          } catch {
            // gone meanwhile
          }
        }
      }
      removeDir(dir)
    }
    removeDir(base)
  }
}

/** whether the launcher can move a process into a cgroup made under base, tried with a throwaway one */
function canMoveInto(base: string, launcher: string): boolean {
  const probe = new CgroupContainer(join(base, 'probe'), { launcher })
  try {
    mkdirSync(probe.cgroupDir)
  } catch {
    return false
  }
  const command = probe.command('/bin/sh', ['-c', ':'], 'sh')
  const moved = spawnSync(command.file, command.args, { stdio: 'ignore', timeout: 5000 })
  probe.dispose()
  return moved.status === 0
}

class CgroupContainment implements Containment {
  private live = 0
  private sequence = 0

  constructor(
    readonly kind: ContainmentKind,
    /** this orchestrator's own cgroup beneath its cgroup: made while it holds replicas */
    private readonly base: string,
    private readonly launcher: string,
  ) {}

  create(replicaName: string): ReplicaContainer {
    if (this.live === 0) {
      try {
        mkdirSync(this.base)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot make the replica's cgroup in ${this.base}: ${(err as Error).message}`, { cause: err })
      }
    }
    const dir = join(this.base, `${replicaName.replace(/[^A-Za-z0-9_.-]/g, '_')}.${++this.sequence}`)
    mkdirSync(dir)
    this.live++
    return new CgroupContainer(dir, {
      launcher: this.launcher,
      onDispose: () => {
        if (--this.live === 0) removeDir(this.base)
      },
    })
  }
}

class ProcessTreeContainment implements Containment {
  readonly kind: ContainmentKind = 'process tree'
  /** one reading of /proc answers every replica stopping at the same moment */
  private readonly table = new ProcessTable()
  create(): ReplicaContainer {
    return new ProcessTreeContainer(this.table)
  }
}

class WindowsTreeContainment implements Containment {
  readonly kind: ContainmentKind = 'windows process tree'
  constructor(private readonly tools: WindowsTools) {}
  create(): ReplicaContainer {
    return new WindowsTreeContainer(this.tools)
  }
}

function tryCgroup(place: CgroupPlace, launcher: string): Containment | undefined {
  sweepLeftovers(place.dir)
  const base = join(place.dir, `${BASE_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    mkdirSync(base)
  } catch {
    return undefined
  }
  const usable = canMoveInto(base, launcher)
  removeDir(base)
  return usable ? new CgroupContainment(place.version === 2 ? 'cgroup v2' : 'cgroup v1', base, launcher) : undefined
}

export interface ContainmentOptions {
  /** the kinds that may be used, best first; by default every kind, cgroup v2 first */
  allow?: ContainmentKind[]
  /** the micronetes-launch program; by default the one built beside Micronetes */
  launcher?: string
  /** the system to contain replicas on; by default this one */
  platform?: NodeJS.Platform
  /** Windows: how to run taskkill and ask whether a process lives; by default the real ones */
  windows?: WindowsTools
}

export function createContainment(options: ContainmentOptions = {}): Containment {
  if ((options.platform ?? process.platform) === 'win32') return new WindowsTreeContainment(options.windows ?? windowsTools())
  const allow = options.allow ?? ['cgroup v2', 'cgroup v1', 'process tree']
  // the launcher is native code: where it is not built, no replica can be born inside a cgroup
  const launcher = options.launcher ?? nativeHelper('micronetes-launch')
  if (hasProc && launcher) {
    const places = ownCgroups(read('/proc/self/mountinfo'), read('/proc/self/cgroup'))
    for (const kind of allow) {
      const place = places.find((p) => (p.version === 2 ? 'cgroup v2' : 'cgroup v1') === kind)
      const containment = place && tryCgroup(place, launcher)
      if (containment) return containment
    }
  }
  return new ProcessTreeContainment()
}
