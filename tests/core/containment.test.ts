// A replica's descendants are stopped with it whatever they do to their session or process
// group (issue: `setsid sleep` outlived a service stop and a clean exit). Real processes, real
// cgroups: these machines are root with cgroup v1 controllers beside v2 ("hybrid"), so every
// kind of containment runs here; CI requires that it does.
import { afterEach, describe, expect, it } from 'vitest'
import { randomInt } from 'node:crypto'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CgroupContainer } from '../../src-main/core/containment/cgroup-container'
import { stopContainer } from '../../src-main/core/containment/replica-container'
import { nativeHelper } from '../../src-main/core/helper-entry'
import { createContainment, type ContainmentKind } from '../../src-main/core/containment/containment'
import { ownCgroups } from '../../src-main/core/containment/cgroup-hierarchy'
import { Orchestrator } from '../../src-main/core/orchestrator'
import { OrphanGuard } from '../../src-main/core/orphan-guard'
import { commandLineOf, listPids, processAlive } from '../../src-main/core/proc'
import { createProcessRunner } from '../../src-main/core/process-runner'
import type { ReplicaHandle } from '../../src-main/core/runner'
import { application, killIfAlive, serviceDefaults, waitFor } from './orchestrator-helpers'
import { eachLine } from './each-line'

const leftovers = new Set<number>()
afterEach(() => {
  killIfAlive(leftovers)
  leftovers.clear()
})

/** pids of live processes whose command line is exactly this */
function running(commandLine: string): number[] {
  return listPids().filter((pid) => commandLineOf(pid) === commandLine && processAlive(pid))
}

/** a replica running `sh -c script` (or another program) through a runner that contains with the given kind */
async function launch(kind: ContainmentKind, script: string, executable = 'sh', args = ['-c', script]): Promise<{ handle: ReplicaHandle; lines: string[] }> {
  const containment = createContainment({ allow: [kind] })
  expect(containment.kind).toBe(kind)
  const runner = createProcessRunner({ containment, guard: new OrphanGuard(), channels: 'pipe' })
  const service = { ...serviceDefaults(), name: 'escaper', kind: 'executable' as const, executable, args }
  const lines: string[] = []
  const handle = await runner.launch({
    application: application([service]),
    service,
    replicaName: 'escaper_0000-1',
    ordinal: 1,
    ports: [],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', 'SERVICE__API-BACKEND__PORT': '1234' },
    onLines: eachLine((_stream, text) => lines.push(text)),
  })
  leftovers.add(handle.pid!)
  return { handle, lines }
}

/** `setsid sleep A & sleep B`, with durations no other test uses, so they can be found by name */
function escapers(): { script: string; escaped: string; stayed: string } {
  const a = `${randomInt(100_000, 900_000)}.5`
  const b = `${randomInt(100_000, 900_000)}.25`
  return { script: `setsid sleep ${a} & sleep ${b} &`, escaped: `sleep ${a}`, stayed: `sleep ${b}` }
}

async function bothRunning(escaped: string, stayed: string): Promise<number[]> {
  const pids = await waitFor('both sleeps running', () => {
    const found = [...running(escaped), ...running(stayed)]
    return found.length === 2 ? found : undefined
  })
  for (const pid of pids) leftovers.add(pid)
  return pids
}

// what the machine offers; on CI (these machines) every kind must be there
const available = new Set<ContainmentKind>(
  (['cgroup v2', 'cgroup v1', 'process tree'] as const).filter((kind) => createContainment({ allow: [kind] }).kind === kind),
)
const cgroupKinds = (['cgroup v2', 'cgroup v1'] as const).filter((kind) => available.has(kind) || process.env.CI)

describe('containment on this machine', () => {
  it.runIf(process.env.CI)('offers every kind on CI (root, hybrid cgroups, the launcher built)', () => {
    expect([...available].sort()).toEqual(['cgroup v1', 'cgroup v2', 'process tree'])
  })

  for (const kind of cgroupKinds) {
    describe(kind, () => {
      it('stops a descendant that left with setsid when the replica is stopped', async () => {
        const { script, escaped, stayed } = escapers()
        const { handle } = await launch(kind, `${script} wait`)
        const pids = await bothRunning(escaped, stayed)
        await handle.stop(1000)
        expect(pids.filter(processAlive)).toEqual([])
      })

      it('stops it when the replica exits cleanly and leaves it behind', async () => {
        const { script, escaped, stayed } = escapers()
        const { handle } = await launch(kind, `${script} sleep 0.5; exit 0`)
        const pids = await bothRunning(escaped, stayed)
        expect(await handle.exited).toEqual({ exitCode: 0, signal: null })
        expect(pids.filter(processAlive)).toEqual([])
      })

      it('kills what ignores SIGTERM after the grace period, setsid or not', async () => {
        const { script, escaped, stayed } = escapers()
        // an ignored signal stays ignored across exec: both sleeps ignore SIGTERM too
        const { handle } = await launch(kind, `trap '' TERM; ${script} wait`)
        const pids = await bothRunning(escaped, stayed)
        const started = Date.now()
        await handle.stop(300)
        expect(Date.now() - started).toBeGreaterThanOrEqual(300)
        expect(pids.filter(processAlive)).toEqual([])
      })

      it('puts the replica in its cgroup before it runs, and removes the cgroup after', async () => {
        const { handle, lines } = await launch(kind, '', 'cat', ['/proc/self/cgroup'])
        expect(await handle.exited).toEqual({ exitCode: 0, signal: null })
        // cat's very first instruction already ran inside
        const place = lines.find((line) => (kind === 'cgroup v2' ? /^0::/.test(line) : /:freezer:/.test(line)))
        expect(place).toMatch(/\/micronetes-\d+-[0-9a-f]+\/escaper_0000-1\.\d+$/)
        const own = ownCgroups(readFileSync('/proc/self/mountinfo', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'))
        const dir = own.find((p) => (p.version === 2) === (kind === 'cgroup v2'))!.dir
        expect(existsSync(`${dir}${place!.slice(place!.indexOf('/micronetes-'))}`)).toBe(false)
      })

      it('passes the environment through whole, names a shell would drop included', async () => {
        const { handle, lines } = await launch(kind, '', 'env', [])
        await handle.exited
        expect(lines).toContain('SERVICE__API-BACKEND__PORT=1234')
      })
    })
  }

  it.runIf(cgroupKinds.includes('cgroup v2'))('kills a cgroup v2 by freezing it where the kernel has no cgroup.kill (before 5.14)', async () => {
    const own = ownCgroups(readFileSync('/proc/self/mountinfo', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8')).find((p) => p.version === 2)!
    const dir = join(own.dir, `micronetes-test-freeze-${process.pid}`)
    mkdirSync(dir)
    const container = new CgroupContainer(dir, { launcher: nativeHelper('micronetes-launch'), withoutKillFile: true })
    try {
      const { script, escaped, stayed } = escapers()
      const command = container.command('/bin/sh', ['-c', `trap '' TERM; ${script} wait`], 'sh')
      const child = spawn(command.file, command.args, { detached: true, stdio: 'ignore' })
      container.started(child.pid!)
      const pids = await bothRunning(escaped, stayed)
      await stopContainer(container, 200, 3000)
      expect(pids.filter(processAlive)).toEqual([])
      expect(readFileSync(join(dir, 'cgroup.freeze'), 'utf8').trim()).toBe('0')
    } finally {
      container.dispose()
    }
  })

  it.runIf(cgroupKinds.length > 0)("issue 15's case: a service stop leaves nothing of `setsid sleep & sleep & wait`, and the service can start again", async () => {
    const { script, escaped, stayed } = escapers()
    const service = { ...serviceDefaults(), name: 'escaper', kind: 'executable' as const, executable: 'sh', args: ['-c', `${script} wait`] }
    const orchestrator = new Orchestrator(application([service]))
    try {
      await orchestrator.start()
      const pids = await bothRunning(escaped, stayed)
      await orchestrator.stopService('escaper')
      expect(pids.filter(processAlive)).toEqual([])
      await orchestrator.startService('escaper')
      await bothRunning(escaped, stayed)
    } finally {
      await orchestrator.stop()
    }
    expect([...running(escaped), ...running(stayed)]).toEqual([])
  })

  describe('process tree (no cgroup)', () => {
    it('stops a descendant that left with setsid while its parent still runs', async () => {
      const { script, escaped, stayed } = escapers()
      const { handle } = await launch('process tree', `${script} wait`)
      const pids = await bothRunning(escaped, stayed)
      await handle.stop(1000)
      expect(pids.filter(processAlive)).toEqual([])
    })
  })

  it('gives a missing program the same error whatever starts it', async () => {
    for (const kind of [...cgroupKinds, 'process tree' as const]) {
      const containment = createContainment({ allow: [kind] })
      const runner = createProcessRunner({ containment, guard: new OrphanGuard(), channels: 'pipe' })
      const service = { ...serviceDefaults(), name: 'nope', kind: 'executable' as const, executable: 'no-such-program-here' }
      await expect(
        runner.launch({ application: application([service]), service, replicaName: 'nope_0000-1', ordinal: 1, ports: [], env: { PATH: '/usr/bin:/bin' }, onLines: () => {} }),
      ).rejects.toThrow('cannot start "no-such-program-here": not found (is it installed and on PATH?)')
    }
  })
})

describe('finding this process cgroups', () => {
  it('reads a systemd desktop: cgroup v2 only, the session delegated to the user', () => {
    const mountinfo = '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n'
    const cgroup = '0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope\n'
    expect(ownCgroups(mountinfo, cgroup)).toEqual([
      { version: 2, dir: '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope' },
    ])
  })

  it('reads hybrid mode: v2 first, then the v1 freezer', () => {
    const mountinfo = [
      '30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw',
      '31 25 0:27 / /sys/fs/cgroup/freezer rw,nosuid - cgroup cgroup rw,freezer',
      '32 25 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory',
    ].join('\n')
    const cgroup = '6:freezer:/\n4:memory:/job/7\n0::/job/7\n'
    expect(ownCgroups(mountinfo, cgroup)).toEqual([
      { version: 2, dir: '/sys/fs/cgroup/unified/job/7' },
      { version: 1, dir: '/sys/fs/cgroup/freezer' },
    ])
  })

  it('reads a container: a mount of a subtree, a mount point with a space', () => {
    const mountinfo = '40 30 0:26 /docker/abc /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n'
    expect(ownCgroups(mountinfo, '0::/docker/abc/inner\n')).toEqual([{ version: 2, dir: '/sys/fs/my cgroup/inner' }])
    // a cgroup the mount does not show is not ours to use
    expect(ownCgroups(mountinfo, '0::/elsewhere\n')).toEqual([])
    // no cgroup filesystem at all (macOS has no /proc; a sandbox may hide cgroups)
    expect(ownCgroups('', '0::/\n')).toEqual([])
  })
})
