// Replicas started by micronetes-spawn (native/spawn/) instead of by Node's spawn(). Each of
// Node's spawn() calls forks the orchestrator, a process of tens of megabytes: the kernel copies
// its page tables and makes its heap copy-on-write, one to two milliseconds a replica on these
// machines, on the orchestrator's own thread. The spawner is a few hundred kilobytes and uses
// posix_spawn, on its own core; the orchestrator only writes a request and reads a line back.
//
// The replica's output still reaches the orchestrator's readers (output-channel.ts): the
// orchestrator connects its two readers to the spawner's socket, each with a token naming the
// request and the stream, and the spawner hands the connections' other ends to the replica as
// its stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { isExecutable, nativeHelper } from './helper-entry'
import type { ReplicaExit } from './runner'

/** the failure of a spawner its owner closed: not a fallback to report */
const CLOSED = 'closed'
/** how long the spawner may take to say it listens */
const READY_TIMEOUT_MS = 5_000

export interface SpawnRequest {
  /** a path: PATH was searched already */
  file: string
  /** argv[0] and the rest */
  argv: string[]
  cwd: string
  env: Record<string, string>
  /** stdout and stderr on the id's two channels (channelToken), else on /dev/null */
  channels: boolean
}

export interface SpawnedProcess {
  pid: number
  /** the process's own exit; for a spawner that died, a null code and signal */
  exited: Promise<ReplicaExit>
}

interface Pending {
  resolve(spawned: SpawnedProcess): void
  reject(error: NodeJS.ErrnoException): void
}

interface Running {
  resolve(exit: ReplicaExit): void
}

/** what a request gets when the spawner is gone: its caller starts the replica through Node */
function spawnerGone(reason: string): NodeJS.ErrnoException {
  return Object.assign(new Error(reason), { code: 'ESPAWNER' })
}

/** where MICRONETES_SPAWN_PATH names one (the sanitized test build), that; else the built one */
function defaultProgram(): string | null {
  const override = process.env.MICRONETES_SPAWN_PATH
  if (override) return isExecutable(override) ? override : null
  return nativeHelper('micronetes-spawn') ?? null
}

/** the errno name of a number, as Node names spawn errors (ENOENT, EACCES) */
function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(constants.errno)) if (value === errno) return name
  return `E${errno}`
}

function signalName(signal: number): string {
  for (const [name, value] of Object.entries(constants.signals)) if (value === signal) return name
  return String(signal)
}

export class NativeSpawner {
  /** the socket's path once the spawner listens */
  private started: Promise<string | undefined> | undefined
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly running = new Map<number, Running>()
  /** requests of this turn of the event loop, written together */
  private queued: Buffer[] = []
  private failure: string | undefined
  private readonly failureListeners = new Set<(reason: string) => void>()
  private child: ChildProcess | undefined

  /** `program`: the micronetes-spawn binary; by default MICRONETES_SPAWN_PATH's, else the one built beside Micronetes */
  constructor(private readonly program: string | null = defaultProgram()) {}

  /** why replicas are started by Node instead, once the spawner failed; undefined while it serves */
  get fallbackReason(): string | undefined {
    return this.program ? this.failure : 'micronetes-spawn is not built (Linux with a C compiler: npm run build)'
  }

  /** why the spawner failed (could not start, or died), once it has; not its absence, nor a close */
  get failureReason(): string | undefined {
    return this.program && this.failure !== CLOSED ? this.failure : undefined
  }

  /** calls back once the spawner fails; returns the unsubscribe */
  onFailure(listener: (reason: string) => void): () => void {
    this.failureListeners.add(listener)
    return () => this.failureListeners.delete(listener)
  }

  /** the spawner's process, while it runs */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** the socket the id's channels connect to; undefined where the spawner cannot run */
  async socketPath(): Promise<string | undefined> {
    return this.start()
  }

  /** a fresh request id */
  reserve(): number {
    return this.nextId++
  }

  /** what a channel writes first: the id in ten digits, a space, the fd it becomes */
  static channelToken(id: number, fd: 1 | 2): string {
    return `${String(id).padStart(10, '0')} ${fd}`
  }

  /** starts the request; rejects with an errno-coded error (ENOENT, EACCES) as spawn() would */
  async spawn(id: number, request: SpawnRequest): Promise<SpawnedProcess> {
    if (!(await this.start())) throw spawnerGone(`micronetes-spawn is not running: ${this.fallbackReason ?? 'closed'}`)
    const fields = ['spawn', String(id), request.channels ? 'c' : '-', request.cwd, request.file, String(request.argv.length), ...request.argv]
    const env = Object.entries(request.env).map(([name, value]) => `${name}=${value}`)
    fields.push(String(env.length), ...env)
    for (const field of fields) if (field.includes('\0')) throw new Error(`cannot start ${request.file}: a NUL character in its command line or environment`)
    const spawned = new Promise<SpawnedProcess>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    this.refresh()
    this.send(Buffer.from(`${fields.join('\0')}\0`))
    return spawned
  }

  /** the id is given up (its channels could not be made): the spawner forgets what it holds of it */
  drop(id: number): void {
    if (this.started) this.send(Buffer.from(`drop\0${id}\0`))
  }

  /** ends the spawner; replicas it started run on (their runner stops them) */
  close(): void {
    this.failure = CLOSED
    this.started = undefined
    this.child?.stdin?.end()
  }

  private send(bytes: Buffer): void {
    if (this.queued.length === 0) setImmediate(() => this.flush())
    this.queued.push(bytes)
  }

  private flush(): void {
    const bytes = Buffer.concat(this.queued)
    this.queued = []
    this.child?.stdin?.write(bytes)
  }

  private start(): Promise<string | undefined> {
    if (!this.program || this.failure) return Promise.resolve(undefined)
    this.started ??= this.launch(this.program).catch((error: Error) => {
      this.fail(error.message)
      this.started = undefined
      return undefined
    })
    return this.started
  }

  private async launch(program: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-spawn-'))
    const socketPath = join(dir, 's.sock')
    // its own process group: a Ctrl-C at the terminal must not end it while replicas stop
    const child = spawn(program, [socketPath], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] })
    // the spawner removes it when it exits on its own; killed, it cannot
    child.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    child.stdin?.on('error', () => undefined)
    let buffered = ''
    let ready!: () => void
    const readied = new Promise<void>((resolve) => (ready = resolve))
    child.stdout?.setEncoding('latin1')
    child.stdout?.on('data', (text: string) => {
      buffered += text
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') ready()
        else this.onReply(line)
      }
    })
    const gone = new Promise<never>((_resolve, reject) => {
      child.once('error', (error) => reject(new Error(`micronetes-spawn could not start: ${error.message}`)))
      child.once('exit', (code, signal) => {
        // once it served: what it started hears of it; before, the start fails with the reason below
        if (this.child === child) {
          this.child = undefined
          this.onGone(`micronetes-spawn exited (${signal ?? `code ${code}`})`)
        }
        reject(new Error(`micronetes-spawn exited before it was ready (${signal ?? `code ${code}`})`))
      })
    })
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`micronetes-spawn did not say it was ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([readied, gone, late])
    } catch (error) {
      child.kill('SIGKILL')
      throw error
    } finally {
      clearTimeout(timer)
    }
    gone.catch(() => undefined)
    this.child = child
    this.refresh()
    return socketPath
  }

  /** the spawner keeps the event loop alive only while replicas it started run or start, as child processes do */
  private refresh(): void {
    const child = this.child
    if (!child) return
    const busy = this.running.size + this.pending.size > 0
    for (const handle of [child, child.stdin, child.stdout] as unknown as ({ ref?(): void; unref?(): void } | null)[]) {
      if (busy) handle?.ref?.()
      else handle?.unref?.()
    }
  }

  private onReply(line: string): void {
    const [kind, idText, a, b] = line.split(' ')
    const id = Number(idText)
    if (kind === 'spawned') {
      const pending = this.pending.get(id)
      this.pending.delete(id)
      const exited = new Promise<ReplicaExit>((resolve) => this.running.set(id, { resolve }))
      pending?.resolve({ pid: Number(a), exited })
    } else if (kind === 'failed') {
      const pending = this.pending.get(id)
      this.pending.delete(id)
      const name = errnoName(Number(a))
      const error: NodeJS.ErrnoException = new Error(`spawn failed: ${name}`)
      error.code = name
      error.errno = -Number(a)
      pending?.reject(error)
    } else if (kind === 'exited') {
      const running = this.running.get(id)
      this.running.delete(id)
      running?.resolve(a === 'signal' ? { exitCode: null, signal: signalName(Number(b)) } : { exitCode: Number(b), signal: null })
    }
    this.refresh()
  }

  private fail(reason: string): void {
    if (this.failure !== undefined) return
    this.failure = reason
    for (const listener of this.failureListeners) listener(reason)
  }

  /** the spawner died: what waits on it hears so, and later replicas start through Node */
  private onGone(reason: string): void {
    this.fail(reason)
    for (const pending of this.pending.values()) pending.reject(spawnerGone(reason))
    this.pending.clear()
    for (const running of this.running.values()) running.resolve({ exitCode: null, signal: null })
    this.running.clear()
  }
}
