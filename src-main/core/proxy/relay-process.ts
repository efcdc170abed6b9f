// The native engine's host: one child process serving every binding's proxy, driven by
// one-line commands (see native/relay/main.c). It starts with the first proxy and ends with the
// last; it exits by itself when the orchestrator dies (stdin closes, and the kernel's
// parent-death signal), so no relay outlives the orchestrator and holds a port.
import { spawn, type ChildProcess } from 'node:child_process'
import type { ProxyBackend, ProxyStats } from '../proxy-types'
import { ChannelHost } from './channel-host'
import type { OpenRequest } from './engine-host'
import { listenError } from './loopback-listen'
import { DEFAULT_WAIT_FOR_BACKEND_MS } from './round-robin-proxy'
import { wantedProxyThreads } from './shared-port'

/** the relay could not be started at all (as opposed to a port it could not bind) */
export class RelayUnavailable extends Error {}

/** how long the relay may take to say it is ready */
const READY_TIMEOUT_MS = 5_000

export class RelayProcess extends ChannelHost<string[]> {
  readonly child: ChildProcess
  /** the relay's worker threads, once ready */
  readonly ready: Promise<number>
  private partial = ''
  private stderrTail = ''

  constructor(binary: string, workers: number, onGone: (relay: RelayProcess) => void) {
    super((host) => onGone(host as RelayProcess))
    this.child = spawn(binary, ['--threads', String(workers), '--parent', String(process.pid)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const timer = setTimeout(() => this.fail(new Error(`it did not say it was ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    this.ready = this.expect('ready')
      .then((words) => Number(words[1]))
      .finally(() => clearTimeout(timer))
    this.ready.catch(() => undefined)
    // the proxies are no reason to keep the process alive (the orchestrator's stop closes
    // them); an answer being awaited is (see waitingChanged)
    this.child.unref()
    for (const stream of [this.child.stdin, this.child.stderr]) handleOf(stream)?.unref()
    this.waitingChanged()
    this.child.stdout?.setEncoding('utf8')
    this.child.stdout?.on('data', (text: string) => this.receive(text))
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (text: string) => { this.stderrTail = (this.stderrTail + text).slice(-2000) })
    this.child.stdin?.on('error', () => undefined)
    this.child.on('error', (error) => this.fail(error))
    this.child.on('exit', (code, signal) => this.fail(new Error(`it exited (${signal ?? `code ${code}`})`)))
  }

  protected async listen(id: number, { options }: OpenRequest): Promise<{ id: number; port: number }> {
    await this.ready
    const wait = options.waitForBackendMs ?? DEFAULT_WAIT_FOR_BACKEND_MS
    // as many threads as the Node engine would have (the relay shares ports on every Linux)
    const threads = wantedProxyThreads(options.threads)
    const words = await this.ask(`listen:${id}`, () => this.send(`listen ${id} ${options.port} ${wait} ${threads}`))
    if (words[0] === 'failed') {
      const [, , code, host = '', failedPort, ...message] = words
      throw listenError(options, Number(failedPort) || options.port, host, Object.assign(new Error(message.join(' ')), { code }))
    }
    return { id, port: Number(words[2]) }
  }

  protected sendBackends(id: number, backends: ProxyBackend[]): void {
    // a host is an address or a name, never percent-encoded: one with white space in it cannot
    // be either, and goes as '-', which the relay counts as a backend that refuses
    const list = backends.map((b) => `${encodeURIComponent(b.replica)} ${/^\S+$/.test(b.host) ? b.host : '-'} ${b.port}`)
    this.send(['backends', id, ...list].join(' '))
  }

  protected sendRequest(kind: 'stats' | 'close', id: number): void {
    this.send(`${kind} ${id}`)
  }

  protected stop(): void {
    // closing stdin ends the relay; its sockets close with it
    this.child.stdin?.end()
  }

  protected override abandon(): void {
    this.child.kill('SIGKILL')
  }

  /** the relay's output keeps the process alive only while an answer is awaited */
  protected override waitingChanged(): void {
    const stdout = handleOf(this.child.stdout)
    if (this.awaiting) stdout?.ref()
    else stdout?.unref()
  }

  protected override fail(cause: Error): void {
    if (this.dead) return
    const detail = this.stderrTail.trim() ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' / ')}` : ''
    super.fail(new RelayUnavailable(`the native relay failed: ${cause.message}${detail}`))
  }

  private send(line: string): void {
    if (!this.dead) this.child.stdin?.write(`${line}\n`)
  }

  private receive(text: string): void {
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.answer(line.split(' '))
  }

  private answer(words: string[]): void {
    const [kind, idText] = words
    if (kind === 'ready') return this.answered('ready', words)
    const id = Number(idText)
    if (kind === 'stats') this.reported(id, parseStats(words.slice(2)))
    this.answered(`${kind === 'listening' || kind === 'failed' ? 'listen' : kind === 'closed' ? 'close' : kind}:${id}`, words)
  }
}

function handleOf(stream: unknown): { ref(): void; unref(): void } | undefined {
  const socket = stream as { ref?: () => void; unref?: () => void } | null | undefined
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
