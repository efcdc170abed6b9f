// The orchestrator's side of the proxy thread: one worker thread runs every binding's proxy,
// started with the first proxy and ended with the last. A worker thread dies with its process,
// so no proxy can outlive the orchestrator and hold a port. Should the thread itself die (a bug),
// a new one takes over every proxy on the same ports with the same backends.
import { Worker } from 'node:worker_threads'
import type { BindingProxy, ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import { PROXY_THREAD_SOURCE } from './worker-source.generated'
import type { FromProxyThread, ToProxyThread } from './worker-protocol'

interface Pending {
  resolve(value: FromProxyThread): void
  reject(error: Error): void
}

class ProxyThread {
  readonly worker: Worker
  private nextId = 1
  private readonly proxies = new Map<number, ThreadProxy>()
  /** awaited answers by proxy and kind: listening/listen-failed, closed, or stats */
  private readonly pending = new Map<string, Pending[]>()
  private failure: Error | undefined
  private ending = false

  constructor(private readonly onGone: (thread: ProxyThread) => void) {
    this.worker = new Worker(PROXY_THREAD_SOURCE, { eval: true, name: 'micronetes proxy' })
    // the proxies are no reason to keep the process alive; the orchestrator's stop closes them
    this.worker.unref()
    this.worker.on('message', (message: FromProxyThread) => this.receive(message))
    this.worker.on('error', (error) => this.fail(new Error(`the proxy thread failed: ${error.message}`)))
    this.worker.on('exit', (code) => this.fail(new Error(`the proxy thread exited (code ${code})`)))
  }

  /** listens for `proxy` on this thread; returns the port bound */
  async open(proxy: ThreadProxy, options: ProxyOptions): Promise<{ id: number; port: number }> {
    const id = this.nextId++
    this.proxies.set(id, proxy)
    try {
      const answer = await this.ask(`${id}:listen`, { type: 'listen', id, options })
      if (answer.type === 'listen-failed') throw new Error(answer.message)
      return { id, port: answer.type === 'listening' ? answer.port : options.port }
    } catch (error) {
      this.proxies.delete(id)
      if (this.proxies.size === 0) await this.end()
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
    if (this.proxies.size === 0) await this.end()
  }

  private async end(): Promise<void> {
    this.ending = true
    this.onGone(this)
    await this.worker.terminate()
  }

  private receive(message: FromProxyThread): void {
    if (message.type === 'stats') this.proxies.get(message.id)?.reported(message.stats)
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
    const orphans = [...this.proxies.values()]
    this.proxies.clear()
    for (const proxy of orphans) void proxy.recover()
  }
}

class ThreadProxy implements BindingProxy {
  private thread: ProxyThread | undefined
  private id = 0
  private boundPort = 0
  private backends: ProxyBackend[] = []
  private latest = new Map<string, ProxyStats>()
  private closed = false

  constructor(private readonly options: ProxyOptions) {}

  get port(): number {
    return this.boundPort
  }

  async open(): Promise<void> {
    const thread = sharedThread()
    const { id, port } = await thread.open(this, { ...this.options, port: this.boundPort || this.options.port })
    this.thread = thread
    this.id = id
    this.boundPort = port
  }

  /** on a new thread, after the old one died: same port, same backends */
  async recover(): Promise<void> {
    this.thread = undefined
    if (this.closed) return
    try {
      await this.open()
      if (this.closed) return void this.close()
      this.setBackends(this.backends)
    } catch {
      // the port was taken in between: this binding stays without a proxy
    }
  }

  reported(stats: [string, ProxyStats][]): void {
    this.latest = new Map(stats)
  }

  setBackends(backends: ProxyBackend[]): void {
    this.backends = backends.slice()
    this.thread?.post({ type: 'backends', id: this.id, backends: this.backends })
  }

  stats(): Map<string, ProxyStats> {
    return new Map(this.latest)
  }

  async currentStats(): Promise<Map<string, ProxyStats>> {
    await this.thread?.ask(`${this.id}:stats`, { type: 'stats', id: this.id }).catch(() => undefined)
    return this.stats()
  }

  async close(): Promise<void> {
    this.closed = true
    await this.thread?.close(this.id)
  }
}

let current: ProxyThread | undefined

function sharedThread(): ProxyThread {
  current ??= new ProxyThread((gone) => {
    if (current === gone) current = undefined
  })
  return current
}

export async function openThreadProxy(options: ProxyOptions): Promise<BindingProxy> {
  const proxy = new ThreadProxy(options)
  await proxy.open()
  return proxy
}

/** the running proxy thread, if any (tests use it to check recovery) */
export function proxyWorker(): Worker | undefined {
  return current?.worker
}
