// The orchestrator's side of the proxy thread: one worker thread runs every binding's proxy,
// started with the first proxy and ended with the last. A worker thread dies with its process,
// so no proxy can outlive the orchestrator and hold a port.
import { Worker } from 'node:worker_threads'
import type { BindingProxy, ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import { PROXY_THREAD_SOURCE } from './worker-source.generated'
import type { FromProxyThread, ToProxyThread } from './worker-protocol'

interface Pending {
  resolve(value: FromProxyThread): void
  reject(error: Error): void
}

class ProxyThread {
  private readonly worker: Worker
  private nextId = 1
  private readonly proxies = new Map<number, ThreadProxy>()
  /** awaited answers by proxy and kind: listening/listen-failed, closed, or stats */
  private readonly pending = new Map<string, Pending[]>()
  private failure: Error | undefined

  constructor(private readonly onEmpty: () => void) {
    this.worker = new Worker(PROXY_THREAD_SOURCE, { eval: true, name: 'micronetes proxy' })
    // the proxies are no reason to keep the process alive; the orchestrator's stop closes them
    this.worker.unref()
    this.worker.on('message', (message: FromProxyThread) => this.receive(message))
    this.worker.on('error', (error) => this.fail(new Error(`the proxy thread failed: ${error.message}`)))
    this.worker.on('exit', (code) => this.fail(new Error(`the proxy thread exited (code ${code})`)))
  }

  async open(options: ProxyOptions): Promise<BindingProxy> {
    const id = this.nextId++
    const proxy = new ThreadProxy(id, this)
    this.proxies.set(id, proxy)
    try {
      const answer = await this.ask(`${id}:listen`, { type: 'listen', id, options })
      if (answer.type === 'listen-failed') throw new Error(answer.message)
      if (answer.type === 'listening') proxy.bound(answer.port)
      return proxy
    } catch (error) {
      this.proxies.delete(id)
      if (this.proxies.size === 0) this.onEmpty()
      throw error
    }
  }

  post(message: ToProxyThread): void {
    if (!this.failure) this.worker.postMessage(message)
  }

  ask(key: string, message: ToProxyThread): Promise<FromProxyThread> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key) ?? []
      waiting.push({ resolve, reject })
      this.pending.set(key, waiting)
      this.worker.postMessage(message)
    })
  }

  async close(id: number): Promise<void> {
    if (!this.proxies.has(id)) return
    await this.ask(`${id}:close`, { type: 'close', id }).catch(() => undefined)
    this.proxies.delete(id)
    if (this.proxies.size === 0) {
      this.onEmpty()
      await this.worker.terminate()
    }
  }

  private receive(message: FromProxyThread): void {
    if (message.type === 'stats') this.proxies.get(message.id)?.reported(message.stats)
    const key = `${message.id}:${message.type === 'listening' || message.type === 'listen-failed' ? 'listen' : message.type === 'closed' ? 'close' : 'stats'}`
    const waiting = this.pending.get(key)
    this.pending.delete(key)
    for (const waiter of waiting ?? []) waiter.resolve(message)
  }

  private fail(error: Error): void {
    if (this.failure) return
    this.failure = error
    this.onEmpty()
    for (const waiting of this.pending.values()) for (const waiter of waiting) waiter.reject(error)
    this.pending.clear()
  }
}

class ThreadProxy implements BindingProxy {
  private boundPort = 0
  private latest = new Map<string, ProxyStats>()

  constructor(
    private readonly id: number,
    private readonly thread: ProxyThread,
  ) {}

  get port(): number {
    return this.boundPort
  }

  bound(port: number): void {
    this.boundPort = port
  }

  reported(stats: [string, ProxyStats][]): void {
    this.latest = new Map(stats)
  }

  setBackends(backends: ProxyBackend[]): void {
    this.thread.post({ type: 'backends', id: this.id, backends })
  }

  stats(): Map<string, ProxyStats> {
    return new Map(this.latest)
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    await this.thread.ask(`${this.id}:stats`, { type: 'stats', id: this.id })
    return this.stats()
  }

  close(): Promise<void> {
    return this.thread.close(this.id)
  }
}

let thread: ProxyThread | undefined

export function openThreadProxy(options: ProxyOptions): Promise<BindingProxy> {
  if (!thread) {
    const created: ProxyThread = new ProxyThread(() => {
      if (thread === created) thread = undefined
    })
    thread = created
  }
  return thread.open(options)
}
