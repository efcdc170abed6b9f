// Where a replica's stdout and stderr are read. With stdio 'pipe', Node reads a child's output
// into a fresh 64 KiB buffer on every read, which the garbage collector must then find and
// free: for a replica that floods its log, that was a fifth of what ingest cost. Here
// Micronetes makes each stream's socket pair itself (a connection to a Unix socket it listens
// on, in a directory only its user can enter) and reads its end into one buffer shared by every
// channel: a read is handed on, and copied out by whoever keeps it, before the next read. The
// child gets the other end as its stdout or stderr: a Unix stream socket, as 'pipe' gives it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processAlive } from './proc'

/** one read's worth; 64 KiB is what a pipe holds and what Node reads 'pipe' stdio in */
const READ_BYTES = 64 * 1024
/**
 * What all channels together hand on in one turn of the event loop before each pauses until
 * the next: about one read. Without it, Node reads a flooding replica's socket up to 32 times
 * in a row (2 MiB, milliseconds of work) before the loop gets to an API request or a timer;
 * the replica waits instead, as a writer to a full pipe does. Measured with a 500 MiB flood and
 * the API sampled 1,000 times a second: API p50 0.5-0.7 ms against 1.2-1.6, the loop's 1 ms
 * timer late by 2.2-3.2 ms (p99) against 3.6-5.0, ingest the same (docs/benchmarks.md).
 */
const TURN_BUDGET_BYTES = READ_BYTES
/** the socket's directory, named after the process that listens there */
const DIR_PREFIX = 'micronetes-output-'
/** a start of hundreds of replicas connects hundreds of times at once (the kernel caps it at somaxconn) */
const LISTEN_BACKLOG = 4096
/** a connection not accepted by then means something is wrong: channels are given up for 'pipe' */
const ACCEPT_TIMEOUT_MS = 5_000

export interface OutputReader {
  /** resolves once every holder of the write end has closed it and every byte was handed on */
  readonly closed: Promise<void>
  /** stops reading and closes both ends (a launch that failed) */
  destroy(): void
}

export interface OutputChannel extends OutputReader {
  /** the end the child writes to: give it in spawn's stdio, then close it here (closeWriteEnd) */
  readonly writeEnd: net.Socket
  /** closes this process's copy of the write end (the child has its own) */
  closeWriteEnd(): void
}

export interface OutputSink {
  /** bytes valid only during the call: copy what is kept */
  onBytes(bytes: Buffer): void
  onEnd(): void
}

interface Listening {
  server: net.Server
  path: string
  dir: string
}

export class OutputChannels {
  /** `backlog`: connections the kernel queues before refusing more (tests make it small) */
  constructor(private readonly backlog = LISTEN_BACKLOG) {}

  private listening: Promise<Listening> | undefined
  /** connections this process made, in the order it made them: the server accepts them in that order */
  private accepting: ((socket: net.Socket | undefined) => void)[] = []
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES)
  private failed = false
  /** bytes handed on since this turn began, and the readers paused until the next */
  private turnBytes = 0
  private readonly paused = new Set<net.Socket>()
  private turnEnding: NodeJS.Immediate | undefined

  /** a channel, or undefined where none can be made (the caller uses 'pipe') */
  async open(sink: OutputSink): Promise<OutputChannel | undefined> {
    if (this.failed || process.platform === 'win32') return undefined
    let listening: Listening
    try {
      listening = await (this.listening ??= this.listen())
    } catch {
      this.giveUp()
      return undefined
    }
    let giveAccepted!: (socket: net.Socket | undefined) => void
    const accepted = new Promise<net.Socket | undefined>((resolve) => (giveAccepted = resolve))
    this.accepting.push(giveAccepted)
    const { reader, connected } = this.connectReader(listening.path, sink)
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, ACCEPT_TIMEOUT_MS, undefined)
    })
    const joined = connected.then<net.Socket | undefined | 'refused'>((ok) => (ok ? accepted : 'refused'))
    const outcome = await Promise.race([joined, timedOut])
    clearTimeout(timer)
    if (outcome === 'refused') {
      // no connection was queued (a full backlog, say): the others still pair in order
      this.accepting = this.accepting.filter((give) => give !== giveAccepted)
      reader.destroy()
      return undefined
    }
    const writeEnd = outcome
    if (!writeEnd) {
      // timed out, or given up: the queue of expected connections can no longer be trusted to match
      reader.destroy()
      this.giveUp()
      return undefined
    }
    return {
      ...this.readerOf(reader, sink),
      writeEnd,
      closeWriteEnd: () => writeEnd.destroy(),
      destroy: () => {
        writeEnd.destroy()
        reader.destroy()
      },
    }
  }

  /**
   * A reader connected to somebody else's socket (micronetes-spawn's), which hands the other
   * end to the replica; `token` is written first, to say which replica and stream this is.
   * Undefined when the connection is refused.
   */
  async connect(path: string, token: string, sink: OutputSink): Promise<OutputReader | undefined> {
    const { reader, connected } = this.connectReader(path, sink)
    reader.write(token)
    if (!(await connected)) {
      reader.destroy()
      return undefined
    }
    return this.readerOf(reader, sink)
  }

  /** a socket connecting to path whose reads go into the shared buffer, then to sink */
  private connectReader(path: string, sink: OutputSink): { reader: net.Socket; connected: Promise<boolean> } {
    const reader: net.Socket = net.connect({
      path,
      onread: {
        buffer: this.buffer,
        callback: (bytes: number): boolean => {
          sink.onBytes(this.buffer.subarray(0, bytes))
          return this.withinBudget(bytes, reader)
        },
      },
    })
    const connected = new Promise<boolean>((resolve) => {
      reader.once('connect', () => resolve(true))
      reader.once('error', () => resolve(false))
    })
    return { reader, connected }
  }

  /** the end of a connected reader's output, told to sink once */
  private readerOf(reader: net.Socket, sink: OutputSink): OutputReader {
    const closed = new Promise<void>((resolve) => reader.once('close', () => resolve()))
    let ended = false
    const end = (): void => {
      if (ended) return
      ended = true
      sink.onEnd()
    }
    reader.on('end', end)
    // a reset reads as the end of the output
    reader.on('error', () => undefined)
    reader.once('close', end)
    return { closed, destroy: () => reader.destroy() }
  }

  /** false (the reader pauses until the next turn) once this turn's budget is spent */
  private withinBudget(bytes: number, reader: net.Socket): boolean {
    this.turnBytes += bytes
    this.turnEnding ??= setImmediate(() => this.nextTurn())
    if (this.turnBytes < TURN_BUDGET_BYTES) return true
    this.paused.add(reader)
    return false
  }

  private nextTurn(): void {
    this.turnEnding = undefined
    this.turnBytes = 0
    const paused = [...this.paused]
    this.paused.clear()
    for (const reader of paused) if (!reader.destroyed) reader.resume()
  }

  /** stops listening and removes the socket's directory; open channels keep working */
  close(): void {
    const listening = this.listening
    this.listening = undefined
    void listening?.then(
      ({ server, dir }) => {
        server.close()
        removeDir(dir)
      },
      () => undefined,
    )
  }

  private listen(): Promise<Listening> {
    removeDirsOfDeadProcesses()
    const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`))
    const path = join(dir, 'o.sock')
    // accepted ends are only handed to children: never read here
    const server = net.createServer({ pauseOnConnect: true }, (socket) => {
      const give = this.accepting.shift()
      if (give) give(socket)
      else socket.destroy()
    })
    server.on('error', () => this.giveUp())
    // listening must not keep the process alive
    server.unref()
    process.once('exit', () => removeDir(dir))
    return new Promise<Listening>((resolve, reject) => {
      server.once('error', (err) => {
        removeDir(dir)
        reject(err)
      })
      server.listen({ path, backlog: this.backlog }, () => resolve({ server, path, dir }))
    })
  }

  private giveUp(): void {
    this.failed = true
    const waiting = this.accepting
    this.accepting = []
    for (const give of waiting) give(undefined)
    this.close()
  }
}

/** a process killed outright leaves its directory behind: the next one to listen removes it */
function removeDirsOfDeadProcesses(): void {
  let names: string[]
  try {
    names = readdirSync(tmpdir())
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(DIR_PREFIX)) continue
    const pid = Number(name.slice(DIR_PREFIX.length).split('-')[0])
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) removeDir(join(tmpdir(), name))
  }
}

function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true })
  } catch {
    // gone already
  }
}
