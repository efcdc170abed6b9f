// A replica's process, started by micronetes-spawn or by Node's spawn(): the same replica either
// way (output, exit, session, stdin, signals, argv, env, working directory, errors), and what
// happens when the spawner is not there or dies under running replicas.
import { chmodSync, constants, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Service } from '../../src-shared/app-model'
import { createContainment } from '../../src-main/core/containment/containment'
import { NativeSpawner } from '../../src-main/core/native-spawner'
import { processAlive } from '../../src-main/core/proc'
import { createProcessRunner } from '../../src-main/core/process-runner'
import type { ReplicaHandle, ReplicaLaunch } from '../../src-main/core/runner'
import { eachLine } from './each-line'
import { application, killIfAlive, serviceDefaults, waitFor } from './orchestrator-helpers'

const pids = new Set<number>()
const spawners: NativeSpawner[] = []
const dirs: string[] = []
afterEach(async () => {
  killIfAlive(pids)
  pids.clear()
  for (const spawner of spawners.splice(0)) spawner.close()
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const { O_NONBLOCK } = constants

/** signals 32 and 33, bits 31 and 32 of /proc's masks */
const GLIBC_INTERNAL_SIGNALS = (1n << 31n) | (1n << 32n)

function executable(name: string, file: string, args: string[], more: Partial<Service> = {}): Service {
  return { ...serviceDefaults(), name, kind: 'executable', executable: file, args, ...more }
}

interface Run {
  handle: ReplicaHandle
  lines: string[]
}

/** replicas held by their process tree: a cgroup's launcher would run the program itself, and report its own failures */
async function launch(spawner: NativeSpawner | 'node', service: Service, env: Record<string, string> = {}): Promise<Run> {
  const runner = createProcessRunner({ spawner, containment: createContainment({ allow: ['process tree'] }) })
  const lines: string[] = []
  const request: ReplicaLaunch = {
    application: application([service]),
    service,
    replicaName: `${service.name}_0123abcd-1`,
    ordinal: 1,
    ports: [],
    env: { ...(process.env as Record<string, string>), ...env },
    onLines: eachLine((stream, text) => lines.push(`${stream}:${text}`)),
  }
  const handle = await runner.launch(request)
  if (handle.pid) pids.add(handle.pid)
  return { handle, lines }
}

function spawner(): NativeSpawner {
  const made = new NativeSpawner()
  spawners.push(made)
  return made
}

const engines: [string, () => NativeSpawner | 'node'][] = [
  ['micronetes-spawn', spawner],
  ["Node's spawn()", () => 'node'],
]

describe.each(engines)('a replica started by %s', (_name, engine) => {
  it('hands on both streams and the exit code', async () => {
    const { handle, lines } = await launch(engine(), executable('echo', 'sh', ['-c', 'echo out; echo err >&2; exit 3']))
    expect(await handle.exited).toEqual({ exitCode: 3, signal: null })
    expect(lines.sort()).toEqual(['stderr:err', 'stdout:out'])
  })

  it('tells the signal that ended it', async () => {
    const { handle } = await launch(engine(), executable('killed', 'sh', ['-c', 'kill -USR1 $$; sleep 5']))
    expect(await handle.exited).toEqual({ exitCode: null, signal: 'SIGUSR1' })
  })

  it('leads a session of its own, with stdin on /dev/null, no signal ignored or blocked, in its working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'micronetes-replica-start-'))
    dirs.push(dir)
    // the last command replaces the shell, so it reads the replica's own signal state (the shell's changes while it waits)
    const script = 'readlink /proc/$$/fd/0; echo "session $(cut -d" " -f6 /proc/$$/stat) self $$"; pwd; echo "stdout flags $(grep flags /proc/$$/fdinfo/1 | cut -f2)"; exec grep -E "^Sig(Ign|Blk)" /proc/self/status'
    const { handle, lines } = await launch(engine(), executable('inspect', 'sh', ['-c', script], { workingDirectory: dir }))
    await handle.exited
    const session = lines.find((line) => line.startsWith('stdout:session'))?.split(' ')
    expect(session?.[1]).toBe(session?.[3])
    expect(lines).toEqual(expect.arrayContaining(['stdout:/dev/null', 'stdout:SigBlk:\t0000000000000000', `stdout:${dir}`]))
    // a replica that writes faster than it is read waits, as on a pipe, instead of failing with EAGAIN
    const flags = Number.parseInt(lines.find((line) => line.startsWith('stdout:stdout flags'))?.split(' ')[2] ?? '', 8)
    expect(flags & O_NONBLOCK).toBe(0)
    const ignored = BigInt(`0x${lines.find((line) => line.startsWith('stdout:SigIgn:'))?.split('\t')[1]}`)
    // glibc's posix_spawn leaves its own two signals (32 and 33, never sent to a program) ignored; none other may be
    expect(ignored & ~GLIBC_INTERNAL_SIGNALS).toBe(0n)
  })

  it('gets its arguments and environment exactly, empty ones, spaces and non-ASCII included', async () => {
    const args = ['', 'a b', 'ü=ß', '-e']
    const { handle, lines } = await launch(
      engine(),
      executable('argv', process.execPath, ['-e', 'console.log(JSON.stringify([process.argv.slice(1), process.env.MICRONETES_T, process.env["A-B.C"]]))', ...args]),
      { MICRONETES_T: 'x=y ü', 'A-B.C': '' },
    )
    await handle.exited
    expect(lines).toEqual([`stdout:${JSON.stringify([args, 'x=y ü', ''])}`])
  })

  it('says a program that cannot be run is not found, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'micronetes-replica-start-'))
    dirs.push(dir)
    // found on disk, but its interpreter is not: execve fails with ENOENT
    const script = join(dir, 'tool')
    writeFileSync(script, '#!/nonexistent/interpreter\n')
    chmodSync(script, 0o755)
    await expect(launch(engine(), executable('tool', script, []))).rejects.toThrow(`cannot start "${script}": not found (is it installed and on PATH?)`)
  })
})

describe('micronetes-spawn', () => {
  it('starts a burst of replicas, each with its own output', async () => {
    const made = spawner()
    const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => launch(made, executable(`burst${i}`, 'sh', ['-c', `echo ${i}; echo e${i} >&2`]))))
    await Promise.all(runs.map((run) => run.handle.exited))
    runs.forEach((run, i) => expect(run.lines.sort()).toEqual([`stderr:e${i}`, `stdout:${i}`]))
  })

  it('when it dies, running replicas are stopped and reported gone, and later ones start through Node', async () => {
    const made = spawner()
    const { handle } = await launch(made, executable('sleeper', 'sleep', ['60']))
    const pid = handle.pid as number
    expect(made.pid).toBeDefined()
    process.kill(made.pid as number, 'SIGKILL')
    expect(await handle.exited).toEqual({ exitCode: null, signal: null })
    expect(processAlive(pid)).toBe(false)
    expect(made.fallbackReason).toMatch(/micronetes-spawn exited \(SIGKILL\)/)
    const later = await launch(made, executable('later', 'sh', ['-c', 'echo still here']))
    await later.handle.exited
    expect(later.lines).toEqual(['stdout:still here'])
  })

  it('where it is not built, replicas start through Node and the reason is told', async () => {
    const missing = new NativeSpawner(null)
    expect(missing.fallbackReason).toMatch(/micronetes-spawn is not built/)
    const { handle, lines } = await launch(missing, executable('plain', 'sh', ['-c', 'echo plain']))
    await handle.exited
    expect(lines).toEqual(['stdout:plain'])
  })

  it('stops a replica still running when asked, through its container', async () => {
    const { handle } = await launch(spawner(), executable('stopped', 'sleep', ['60']))
    expect(await handle.stop(2000)).toEqual({ exitCode: null, signal: 'SIGTERM' })
    await waitFor('the replica gone', () => !processAlive(handle.pid as number))
  })
})
