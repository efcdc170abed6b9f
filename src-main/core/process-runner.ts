// The ReplicaRunner for project and executable services: each replica is its own process
// group and session, held in a container (a cgroup of its own where the machine allows it, else
// its process tree: see containment/), and stopped by signalling everything in the container,
// so grandchildren go too (npm -> sh -> node), even those that left with setsid.
import { statSync } from 'node:fs'
import { createContainment } from './containment/containment'
import { stopContainer, type Containment } from './containment/replica-container'
import { outputSplitter, singleLine } from './line-splitter'
import { NativeSpawner } from './native-spawner'
import { OrphanGuard } from './orphan-guard'
import { OutputChannels } from './output-channel'
import { readStat } from './proc'
import { resolveCommand } from './platform/command-path'
import { SharedProjectBuilds } from './dotnet/project-build'
import { replicaCommand } from './replica-command'
import { startWithNode, startWithSpawner, type SpawnError, type StartedProcess } from './replica-start'
import type { ReplicaExit, ReplicaHandle, ReplicaLaunch, ReplicaRunner } from './runner'

/** after the leader exits, how long the rest of its replica gets before it is killed too */
const LEFTOVER_GRACE_MS = 2000
/** after SIGKILL, how long to wait for the kernel to take the replica down */
const KILL_WAIT_MS = 5000
/** after the replica is gone, how long its output may take to drain from the pipes */
const PIPE_DRAIN_MS = 500

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function describeSpawnError(file: string, cwd: string, err: NodeJS.ErrnoException): string {
  const who = `cannot start ${JSON.stringify(file)}`
  if (err.code === 'ENOENT') return `${who}: not found (is it installed and on PATH?)`
  if (err.code === 'EACCES') return `${who}: permission denied (is it executable?)`
  return `${who} in ${cwd}: ${err.message}`
}

/** Tye's tools, when missing, are named with what installs them */
function resolveToolCommand(service: ReplicaLaunch['service'], resolve: () => string, file: string): string {
  try {
    return resolve()
  } catch (error) {
    if (service.daprSidecar) throw new Error(`daprd (the Dapr runtime) is not installed: install the Dapr CLI and run "dapr init", then put ~/.dapr/bin on PATH (${(error as Error).message})`, { cause: error })
    if (service.azureFunction) throw new Error(`${file} (Azure Functions Core Tools) is not installed: npm install -g azure-functions-core-tools@4, or give its path as pathToFunc (${(error as Error).message})`, { cause: error })
    throw error
  }
}

export interface ProcessRunnerOptions {
  /** the host's (runtime.ts); by default one of this runner's own */
  guard?: OrphanGuard
  /** the host's (runtime.ts); by default ones of this runner's own */
  channels?: OutputChannels | 'pipe'
  /** what holds each replica's processes; by default the best this machine offers, chosen at the first launch */
  containment?: Containment
  /** whose rules find a command (PATH, PATHEXT on Windows); by default this system's */
  platform?: NodeJS.Platform
  /** what starts replicas' processes: the host's micronetes-spawn (runtime.ts), by default one of this runner's own; 'node' for Node's spawn() */
  spawner?: NativeSpawner | 'node'
}

export function createProcessRunner(options: ProcessRunnerOptions = {}): ReplicaRunner {
  const guard = options.guard ?? new OrphanGuard()
  const channels = options.channels ?? new OutputChannels()
  const spawner = options.spawner === 'node' ? undefined : (options.spawner ?? new NativeSpawner())
  let containment = options.containment
  const projectBuilds = new SharedProjectBuilds()
  return {
    kind: 'process',
    async launch(launch: ReplicaLaunch): Promise<ReplicaHandle> {
      if (launch.service.dotnetBuild?.build) await projectBuilds.ensure(launch.service, launch.env, (text) => launch.onLines('system', singleLine(text)))
      const { file, args, cwd } = replicaCommand(launch.application, launch.service, launch.ports, launch.env)
      let cwdIsFolder: boolean
      try {
        cwdIsFolder = statSync(cwd).isDirectory()
      } catch {
        cwdIsFolder = false
      }
      if (!cwdIsFolder) throw new Error(`working directory ${cwd} does not exist`)
      // found here, not by spawn, so a missing program gets the same error whatever starts it
      const program = resolveToolCommand(launch.service, () => resolveCommand(file, { cwd, env: launch.env, platform: options.platform }), file)
      containment ??= createContainment({ platform: options.platform })
      const container = containment.create(launch.replicaName)
      const command = container.command(program, args, file)

      const onLines = launch.onLines.bind(launch)
      const output = { stdout: outputSplitter('stdout', onLines), stderr: outputSplitter('stderr', onLines) }
      const processCommand = { file: command.file, args: command.args, argv0: command.file === program ? file : command.file, cwd, env: launch.env, verbatim: command.verbatim }
      let started: StartedProcess
      try {
        started =
          (spawner && channels !== 'pipe' ? await startWithSpawner(spawner, channels, processCommand, output) : undefined) ??
          (await startWithNode(channels, processCommand, output))
      } catch (err) {
        container.dispose()
        throw (err as SpawnError).code ? new Error(describeSpawnError(file, cwd, err as SpawnError)) : err
      }
      const pgid = started.pid
      // read once: the container and the watchdog both name the replica by pid and start time
      const startTime = readStat(pgid)?.startTime
      container.started(pgid, startTime)
      const release = guard.watch(pgid, startTime, container.cgroupDir)

      let stopping: Promise<void> | undefined
      // once the replica is empty its pids may be handed to other programs: never signal them again
      let gone = false
      const exited = started.exited.then(async (exit) => {
        // the leader is gone but children it started may linger, holding ports and pipes
        if (!stopping && container.alive()) await stopContainer(container, LEFTOVER_GRACE_MS, KILL_WAIT_MS)
        else if (stopping) await stopping
        release()
        gone = true
        container.dispose()
        // the replica is gone, so the pipes close: let their last lines arrive before the exit is told
        await Promise.race([started.outputClosed, delay(PIPE_DRAIN_MS)])
        return exit
      })

      return {
        pid: pgid,
        commandLine: [file, ...args],
        workingDirectory: cwd,
        exited,
        stop(graceMs: number): Promise<ReplicaExit> {
          if (gone) return exited
          // a stop without grace while a polite one runs (a second Ctrl-C) kills at once
          if (stopping && graceMs <= 0) void container.kill()
          stopping ??= stopContainer(container, graceMs, KILL_WAIT_MS)
          return exited
        },
      }
    },
  }
}
