// The orchestrator's handle on the native relay: one child process serving every binding's
// proxy, driven by one-line commands (see native/relay/main.c). It starts with the first proxy
// and ends with the last; it exits by itself when the orchestrator dies (stdin closes, and the
// kernel's parent-death signal), so no relay outlives the orchestrator and holds a port.
import { spawn, type ChildProcess } from 'node:child_process'
import type { ProxyBackend, ProxyStats } from '../proxy-types'

/** what the relay tells the binding it serves */
export interface RelayMember {
  reported(stats: [string, ProxyStats][]): void
  /** the relay died: its sockets are gone */
  lost(): void
}

/** the relay could not be started at all (as opposed to a port it could not bind) */
export class RelayUnavailable extends Error {}

interface Pending {
  resolve(words: string[]): void
  reject(error: Error): void
}

/** how long the relay may take to say it is ready */
const READY_TIMEOUT_MS = 5_000

export class RelayProcess {
  readonly child: ChildProcess
  /** the relay's worker threads, once ready */
  readonly ready: Promise<number>
  private nextId = 1
  private readonly members = new Map<number, RelayMember>()
  /** awaited answers by kind and binding id: listen, stats, close */
  private readonly pending = new Map<string, Pending[]>()
  private failure: Error | undefined
  private ending = false
  private partial = ''
  private stderrTail = ''
  private onReady: (workers: number) => void = () => {}

  constructor(
    binary: string,
    workers: number,
    private readonly onGone: (relay: RelayProcess) => void,
  ) {
    this.child = spawn(binary, ['--threads', String(workers), '--parent', String(process.pid)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let timer: NodeJS.Timeout | undefined
    this.ready = new Promise<number>((resolve, reject) => {
      this.onReady = resolve
      this.pending.set('ready', [{ resolve: () => undefined, reject }])
      timer = setTimeout(() => this.fail(new Error(`it did not say it was ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    }).finally(() => clearTimeout(timer))
    this.ready.catch(() => undefined)
    // the proxies are no reason to keep the process alive (the orchestrator's stop closes
    // them); an answer being awaited is (see holdWhileAsking)
    this.child.unref()
    for (const stream of [this.child.stdin, this.child.stderr]) handleOf(stream)?.unref()
    this.holdWhileAsking()
    this.child.stdout?.setEncoding('utf8')
    this.child.stdout?.on('data', (text: string) => this.receive(text))
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (text: string) => { this.stderrTail = (this.stderrTail + text).slice(-2000) })
    this.child.stdin?.on('error', () => undefined)
    this.child.on('error', (error) => this.fail(error))
    this.child.on('exit', (code, signal) => this.fail(new Error(`it exited (${signal ?? `code ${code}`})`)))
  }

  /** listens for `member`; returns its id here and the port bound. Rejects naming the errno. */
  async open(member: RelayMember, port: number, waitForBackendMs: number, threads: number): Promise<{ id: number; port: number }> {
    await this.ready
    const id = this.nextId++
    this.members.set(id, member)
    try {
      const words = await this.ask(`listen:${id}`, `listen ${id} ${port} ${waitForBackendMs} ${threads}`)
      if (words[0] === 'failed') {
        const [, , code, host, failedPort, ...message] = words
        throw Object.assign(new Error(message.join(' ')), { code, host, port: Number(failedPort) })
      }
      return { id, port: Number(words[2]) }
    } catch (error) {
      this.members.delete(id)
      if (this.members.size === 0) this.end()
      throw error
    }
  }

  setBackends(id: number, backends: ProxyBackend[]): void {
    // a host is an address or a name, never percent-encoded: one with white space in it cannot
    // be either, and goes as '-', which the relay counts as a backend that refuses
    const list = backends.map((b) => `${encodeURIComponent(b.replica)} ${/^\S+$/.test(b.host) ? b.host : '-'} ${b.port}`)
    this.send(['backends', id, ...list].join(' '))
  }

  /** resolves once the relay has sent fresh figures for `id` (or has died) */
  async refreshStats(id: number): Promise<void> {
    await this.ask(`stats:${id}`, `stats ${id}`).catch(() => undefined)
  }

  async close(id: number): Promise<void> {
    if (!this.members.has(id)) return
    await this.ask(`close:${id}`, `close ${id}`).catch(() => undefined)
    this.members.delete(id)
    if (this.members.size === 0) this.end()
  }

  private send(line: string): void {
    if (!this.failure) this.child.stdin?.write(`${line}\n`)
  }

  private ask(key: string, line: string): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key) ?? []
      waiting.push({ resolve, reject })
      this.pending.set(key, waiting)
      this.holdWhileAsking()
      this.send(line)
    })
  }

  /** the relay's output keeps the process alive only while an answer is awaited */
  private holdWhileAsking(): void {
    const stdout = handleOf(this.child.stdout)
    if (this.pending.size > 0) stdout?.ref()
    else stdout?.unref()
  }

  private end(): void {
    this.ending = true
    this.onGone(this)
    // closing stdin ends the relay; its sockets close with it
    this.child.stdin?.end()
  }

  private receive(text: string): void {
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.answer(line.split(' '))
  }

  private answer(words: string[]): void {
    const [kind, idText] = words
    if (kind === 'ready') {
      this.pending.delete('ready')
      this.holdWhileAsking()
      return this.onReady(Number(idText))
    }
    const id = Number(idText)
    if (kind === 'stats') this.members.get(id)?.reported(parseStats(words.slice(2)))
    const key = `${kind === 'listening' || kind === 'failed' ? 'listen' : kind === 'closed' ? 'close' : kind}:${id}`
    const waiting = this.pending.get(key)
    this.pending.delete(key)
    this.holdWhileAsking()
    for (const waiter of waiting ?? []) waiter.resolve(words)
  }

  private fail(cause: Error): void {
    if (this.failure) return
    const detail = this.stderrTail.trim() ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' / ')}` : ''
    const error = new RelayUnavailable(`the native relay failed: ${cause.message}${detail}`)
    this.failure = error
    this.onGone(this)
    for (const waiting of this.pending.values()) for (const waiter of waiting) waiter.reject(error)
    this.pending.clear()
    if (this.ending) return
    this.child.kill('SIGKILL')
    const orphans = [...this.members.values()]
    this.members.clear()
    for (const member of orphans) member.lost()
  }
}

function handleOf(stream: unknown): { ref(): void; unref(): void } | undefined {
  const socket = stream as { ref?: () => void; unref?: () => void } | null
  return socket?.ref && socket.unref ? (socket as { ref(): void; unref(): void }) : undefined
}

function parseStats(words: string[]): [string, ProxyStats][] {
  const stats: [string, ProxyStats][] = []
  for (let i = 0; i + 4 < words.length; i += 5) {
    const [name, connections, active, bytesIn, bytesOut] = words.slice(i, i + 5) as [string, string, string, string, string]
    stats.push([decodeURIComponent(name), {
      connections: Number(connections),
      activeConnections: Number(active),
      bytesIn: Number(bytesIn),
      bytesOut: Number(bytesOut),
    }])
  }
  return stats
}
