// How a replica's process is started, two ways with one result: by micronetes-spawn (Linux,
// where it is built: the orchestrator never forks) or by Node's spawn() (elsewhere, or once the
// spawner failed). Either way the replica gets a session of its own, stdin on /dev/null and its
// output on the orchestrator's readers, and the caller gets its pid, its exit and the end of
// its output.
import { spawn } from 'node:child_process'
import type { OutputSplitter } from './line-splitter'
import { NativeSpawner } from './native-spawner'
import type { OutputChannel, OutputChannels, OutputReader } from './output-channel'
import type { ReplicaExit } from './runner'

export interface ReplicaProcessCommand {
  /** the program: a path (PATH was searched already) */
  file: string
  args: string[]
  /** the name the program sees as its own */
  argv0: string
  cwd: string
  env: Record<string, string>
  /** the Windows command line is taken as given (a .cmd through cmd.exe) */
  verbatim?: boolean
}

export interface StartedProcess {
  pid: number
  /** the process (the replica's leader) exited */
  readonly exited: Promise<ReplicaExit>
  /** every holder of the output's write ends closed them, and every byte was handed on */
  readonly outputClosed: Promise<void>
}

export interface ReplicaOutput {
  stdout: OutputSplitter
  stderr: OutputSplitter
}

/** an error of spawn's kind (code ENOENT, EACCES), thrown as it came */
export type SpawnError = NodeJS.ErrnoException

/**
 * Through the spawner; undefined when it cannot serve (not built, failed, channels refused), so
 * the caller starts the replica through Node instead.
 */
export async function startWithSpawner(spawner: NativeSpawner, channels: OutputChannels, command: ReplicaProcessCommand, output: ReplicaOutput): Promise<StartedProcess | undefined> {
  const socketPath = await spawner.socketPath()
  if (!socketPath) return undefined
  const id = spawner.reserve()
  const readers = await Promise.all([
    channels.connect(socketPath, NativeSpawner.channelToken(id, 1), { onBytes: (bytes) => output.stdout.write(bytes), onEnd: () => output.stdout.end() }),
    channels.connect(socketPath, NativeSpawner.channelToken(id, 2), { onBytes: (bytes) => output.stderr.write(bytes), onEnd: () => output.stderr.end() }),
  ])
  const [out, err] = readers
  if (!out || !err) {
    for (const reader of readers) reader?.destroy()
    spawner.drop(id)
    return undefined
  }
  let spawned
  try {
    spawned = await spawner.spawn(id, { file: command.file, argv: [command.argv0, ...command.args], cwd: command.cwd, env: command.env, channels: true })
  } catch (error) {
    out.destroy()
    err.destroy()
    // the spawner died under this request: Node starts it
    if ((error as SpawnError).code === 'ESPAWNER') return undefined
    throw error
  }
  return { pid: spawned.pid, exited: spawned.exited, outputClosed: bothClosed(out, err) }
}

/** through Node's spawn(): output on channels where they can be made, else on 'pipe' */
export async function startWithNode(channels: OutputChannels | 'pipe', command: ReplicaProcessCommand, output: ReplicaOutput): Promise<StartedProcess> {
  const opened = channels === 'pipe' ? undefined : await openChannels(channels, output)
  let child
  try {
    child = spawn(command.file, command.args, {
      argv0: command.argv0,
      cwd: command.cwd,
      env: command.env,
      detached: true,
      stdio: ['ignore', opened?.[0].writeEnd ?? 'pipe', opened?.[1].writeEnd ?? 'pipe'],
      windowsHide: true,
      windowsVerbatimArguments: command.verbatim,
    })
  } catch (error) {
    for (const channel of opened ?? []) channel.destroy()
    throw error
  }
  // the child holds its own copies; once it and its children close them, the readers end
  for (const channel of opened ?? []) channel.closeWriteEnd()
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${command.file} started without a process id`)
  child.stdout?.on('data', (chunk: Buffer) => output.stdout.write(chunk))
  child.stderr?.on('data', (chunk: Buffer) => output.stderr.write(chunk))
  child.stdout?.on('end', () => output.stdout.end())
  child.stderr?.on('end', () => output.stderr.end())
  const exited = new Promise<ReplicaExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ exitCode: code, signal }))
  })
  const outputClosed = opened ? bothClosed(...opened) : new Promise<void>((resolve) => child.once('close', () => resolve()))
  return { pid, exited, outputClosed }
}

function bothClosed(out: OutputReader, err: OutputReader): Promise<void> {
  return Promise.all([out.closed, err.closed]).then(() => undefined)
}

/** both streams' channels, or none: a replica's output never comes half on channels, half on pipes */
async function openChannels(channels: OutputChannels, output: ReplicaOutput): Promise<[OutputChannel, OutputChannel] | undefined> {
  const [out, err] = await Promise.all([
    channels.open({ onBytes: (bytes) => output.stdout.write(bytes), onEnd: () => output.stdout.end() }),
    channels.open({ onBytes: (bytes) => output.stderr.write(bytes), onEnd: () => output.stderr.end() }),
  ])
  if (out && err) return [out, err]
  out?.destroy()
  err?.destroy()
  return undefined
}
