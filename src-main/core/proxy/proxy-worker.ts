// The orchestrator's handle on one proxy thread: a worker thread that runs RoundRobinProxy
// instances (proxy-thread.ts) for any number of bindings, asked and answered by message.
import { Worker } from 'node:worker_threads'
import type { ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import type { PortSharing } from './loopback-listen'
import { helperEntry } from '../helper-entry'
import type { FromProxyThread, ToProxyThread } from './worker-protocol'

/** what a proxy thread tells the binding it serves */
export interface ThreadMember {
  reported(thread: ProxyWorker, stats: [string, ProxyStats][]): void
  /** the thread died: its sockets are gone */
  lost(thread: ProxyWorker): void
}

interface Pending {
  resolve(value: FromProxyThread): void
  reject(error: Error): void
}

export class ProxyWorker {
  readonly worker: Worker
  private nextId = 1
  private readonly members = new Map<number, ThreadMember>()
  /** awaited answers by proxy and kind: listening/listen-failed, closed, or stats */
  private readonly pending = new Map<string, Pending[]>()
  private failure: Error | undefined
  private ending = false

  constructor(private readonly onGone: (thread: ProxyWorker) => void) {
    const entry = helperEntry('proxy-thread')
    if (!entry) throw new Error('the proxy thread is not built (npm run build)')
    this.worker = new Worker(entry, { name: 'micronetes proxy' })
    // the proxies are no reason to keep the process alive; the orchestrator's stop closes them
    this.worker.unref()
    this.worker.on('message', (message: FromProxyThread) => this.receive(message))
    this.worker.on('error', (error) => this.fail(new Error(`the proxy thread failed: ${error.message}`)))
    this.worker.on('exit', (code) => this.fail(new Error(`the proxy thread exited (code ${code})`)))
  }

  /** listens for `member` on this thread; returns its id here and the port bound */
  async open(
    member: ThreadMember,
    options: ProxyOptions,
    sharing: PortSharing,
    turns: SharedArrayBuffer,
  ): Promise<{ id: number; port: number }> {
    const id = this.nextId++
    this.members.set(id, member)
    try {
      const answer = await this.ask(`${id}:listen`, { type: 'listen', id, options, sharing, turns })
      if (answer.type === 'listen-failed') throw new Error(answer.message)
      return { id, port: answer.type === 'listening' ? answer.port : options.port }
    } catch (error) {
      this.members.delete(id)
      if (this.members.size === 0) await this.end()
      throw error
    }
  }

  setBackends(id: number, backends: ProxyBackend[]): void {
    if (!this.failure) this.worker.postMessage({ type: 'backends', id, backends } satisfies ToProxyThread)
  }

  /** resolves once the thread has sent fresh figures for `id` (or has died) */
  async refreshStats(id: number): Promise<void> {
    await this.ask(`${id}:stats`, { type: 'stats', id }).catch(() => undefined)
  }

  async close(id: number): Promise<void> {
    if (!this.members.has(id)) return
    await this.ask(`${id}:close`, { type: 'close', id }).catch(() => undefined)
    this.members.delete(id)
    if (this.members.size === 0) await this.end()
  }

  private ask(key: string, message: ToProxyThread): Promise<FromProxyThread> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key) ?? []
      waiting.push({ resolve, reject })
      this.pending.set(key, waiting)
      this.worker.postMessage(message)
    })
  }

  private async end(): Promise<void> {
    this.ending = true
    this.onGone(this)
    await this.worker.terminate()
  }

  private receive(message: FromProxyThread): void {
    if (message.type === 'stats') this.members.get(message.id)?.reported(this, message.stats)
    const kind = message.type === 'listening' || message.type === 'listen-failed' ? 'listen' : message.type === 'closed' ? 'close' : 'stats'
    const key = `${message.id}:${kind}`
    const waiting = this.pending.get(key)
    this.pending.delete(key)
    for (const waiter of waiting ?? []) waiter.resolve(message)
  }

  private fail(error: Error): void {
    if (this.failure) return
    this.failure = error
    this.onGone(this)
    for (const waiting of this.pending.values()) for (const waiter of waiting) waiter.reject(error)
    this.pending.clear()
    if (this.ending) return
    const orphans = [...this.members.values()]
    this.members.clear()
    for (const member of orphans) member.lost(this)
  }
}
