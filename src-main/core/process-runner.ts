// The ReplicaRunner for project and executable services: each replica is its own process
// group, started without a shell, stopped by signalling the whole group so grandchildren
// (npm -> sh -> node) go too.
import { type ChildProcess, spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { outputSplitter, type OutputSplitter } from './line-splitter'
import { orphanGuard as defaultGuard, type OrphanGuard } from './orphan-guard'
import { outputChannels as defaultChannels, type OutputChannel, type OutputChannels } from './output-channel'
import { groupAlive, signalGroup } from './proc'
import { replicaCommand } from './replica-command'
import type { ReplicaExit, ReplicaHandle, ReplicaLaunch, ReplicaRunner } from './runner'

/** after the leader exits, how long the rest of its group gets before it is killed too */
const LEFTOVER_GRACE_MS = 2000
/** after SIGKILL, how long to wait for the kernel to take the group down */
const KILL_WAIT_MS = 5000
/** after the group is gone, how long its output may take to drain from the pipes */
const PIPE_DRAIN_MS = 500

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** polls until the group is empty or the time is up; true when empty */
async function waitGroupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  let interval = 10
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false
    await delay(Math.min(interval, Math.max(1, deadline - Date.now())))
    interval = Math.min(interval * 2, 100)
  }
  return true
}

/** TERM to the group, then KILL after graceMs; resolves when the group is empty */
async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return
  if (graceMs > 0 && (await waitGroupGone(pgid, graceMs))) return
  signalGroup(pgid, 'SIGKILL')
  await waitGroupGone(pgid, KILL_WAIT_MS)
}

function describeSpawnError(file: string, cwd: string, err: NodeJS.ErrnoException): string {
  const who = `cannot start ${JSON.stringify(file)}`
  if (err.code === 'ENOENT') return `${who}: not found (is it installed and on PATH?)`
  if (err.code === 'EACCES') return `${who}: permission denied (is it executable?)`
  return `${who} in ${cwd}: ${err.message}`
}

export function createProcessRunner(options: { guard?: OrphanGuard; channels?: OutputChannels | 'pipe' } = {}): ReplicaRunner {
  const guard = options.guard ?? defaultGuard
  const channels = options.channels ?? defaultChannels
  return {
    kind: 'process',
    async launch(launch: ReplicaLaunch): Promise<ReplicaHandle> {
      const { file, args, cwd } = replicaCommand(launch.application, launch.service)
      let cwdIsFolder: boolean
      try {
        cwdIsFolder = statSync(cwd).isDirectory()
      } catch {
        cwdIsFolder = false
      }
      if (!cwdIsFolder) throw new Error(`working directory ${cwd} does not exist`)

      const onLine = launch.onLine.bind(launch)
      const onLines = launch.onLines?.bind(launch)
      const stdout = outputSplitter('stdout', onLine, onLines)
      const stderr = outputSplitter('stderr', onLine, onLines)
      // the replica's output on channels of Micronetes' own where they can be made, else 'pipe'
      const output = channels === 'pipe' ? undefined : await openChannels(channels, stdout, stderr)

      let child: ChildProcess
      try {
        child = spawn(file, args, {
          cwd,
          env: launch.env,
          detached: true,
          stdio: ['ignore', output?.[0].writeEnd ?? 'pipe', output?.[1].writeEnd ?? 'pipe'],
          windowsHide: true,
        })
      } catch (err) {
        for (const channel of output ?? []) channel.destroy()
        throw err
      }
      // the child holds its own copies; once it and its children close them, the readers end
      for (const channel of output ?? []) channel.closeWriteEnd()
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve)
        child.once('error', (err) => reject(new Error(describeSpawnError(file, cwd, err))))
      })
      const pgid = child.pid
      if (pgid === undefined) throw new Error(`${file} started without a process id`)
      const release = guard.watch(pgid)

      child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk))
      child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk))
      child.stdout?.on('end', () => stdout.end())
      child.stderr?.on('end', () => stderr.end())

      let stopping: Promise<void> | undefined
      // once the group is empty its id may be handed to another program: never signal it again
      let gone = false
      const leaderExit = new Promise<ReplicaExit>((resolve) => {
        child.once('exit', (code, signal) => resolve({ exitCode: code, signal }))
      })
      const pipesClosed = output
        ? Promise.all(output.map((channel) => channel.closed)).then(() => undefined)
        : new Promise<void>((resolve) => child.once('close', () => resolve()))
      const exited = leaderExit.then(async (exit) => {
        // the leader is gone but children it started may linger, holding ports and pipes
        if (!stopping && groupAlive(pgid)) await terminateGroup(pgid, LEFTOVER_GRACE_MS)
        else if (stopping) await stopping
        release()
        gone = true
        // the group is gone, so the pipes close: let their last lines arrive before the exit is told
        await Promise.race([pipesClosed, delay(PIPE_DRAIN_MS)])
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
          if (stopping && graceMs <= 0) signalGroup(pgid, 'SIGKILL')
          stopping ??= terminateGroup(pgid, graceMs)
          return exited
        },
      }
    },
  }
}

/** both streams' channels, or none: a replica's output never comes half on channels, half on pipes */
async function openChannels(
  channels: OutputChannels,
  stdout: OutputSplitter,
  stderr: OutputSplitter,
): Promise<[OutputChannel, OutputChannel] | undefined> {
  const [out, err] = await Promise.all([
    channels.open({ onBytes: (bytes) => stdout.write(bytes), onEnd: () => stdout.end() }),
    channels.open({ onBytes: (bytes) => stderr.write(bytes), onEnd: () => stderr.end() }),
  ])
  if (out && err) return [out, err]
  out?.destroy()
  err?.destroy()
  return undefined
}
