// The one request/answer channel of a proxy engine's host: the bindings it serves by id, the
// answers awaited by kind and id (listen, stats, close), and what its death means for both.
// An engine (proxy-worker.ts, relay-process.ts) adds only how requests and answers travel.
import type { ProxyBackend, ProxyStats } from '../proxy-types'
import type { EngineHost, HostMember, OpenRequest } from './engine-host'

interface Pending<Answer> {
  resolve(answer: Answer): void
  reject(error: Error): void
}

export abstract class ChannelHost<Answer> implements EngineHost {
  private nextId = 1
  private readonly members = new Map<number, HostMember>()
  private readonly pending = new Map<string, Pending<Answer>[]>()
  private failure: Error | undefined
  private ending = false

  constructor(private readonly onGone: (host: ChannelHost<Answer>) => void) {}

  async open(member: HostMember, request: OpenRequest): Promise<{ id: number; port: number }> {
    const id = this.nextId++
    this.members.set(id, member)
    try {
      return await this.listen(id, request)
    } catch (error) {
      this.members.delete(id)
      if (this.members.size === 0) this.end()
      throw error
    }
  }

  setBackends(id: number, backends: ProxyBackend[]): void {
    if (!this.failure) this.sendBackends(id, backends)
  }

  async refreshStats(id: number): Promise<void> {
    await this.ask(`stats:${id}`, () => this.sendRequest('stats', id)).catch(() => undefined)
  }

  async close(id: number): Promise<void> {
    if (!this.members.has(id)) return
    await this.ask(`close:${id}`, () => this.sendRequest('close', id)).catch(() => undefined)
    this.members.delete(id)
    if (this.members.size === 0) this.end()
  }

  /** asks the engine to listen for binding `id` and reads its answer into the port bound */
  protected abstract listen(id: number, request: OpenRequest): Promise<{ id: number; port: number }>
  protected abstract sendBackends(id: number, backends: ProxyBackend[]): void
  /** sends the request for a stats report or a close of `id` */
  protected abstract sendRequest(kind: 'stats' | 'close', id: number): void
  /** ends the engine's host; its sockets close with it */
  protected abstract stop(): void
  /** what a death of the host needs beyond telling its bindings (a process to kill) */
  protected abandon(): void {}
  /** the answers awaited changed (the relay keeps the process alive only while some are) */
  protected waitingChanged(): void {}

  /** the answer under `key` (kind:id, the kind being listen, stats or close) to what `send` sends */
  protected ask(key: string, send: () => void): Promise<Answer> {
    const answer = this.expect(key)
    if (!this.failure) send()
    return answer
  }

  /** an answer under `key` will come, unasked (the relay's 'ready') */
  protected expect(key: string): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key) ?? []
      waiting.push({ resolve, reject })
      this.pending.set(key, waiting)
      this.waitingChanged()
    })
  }

  protected answered(key: string, answer: Answer): void {
    const waiting = this.pending.get(key)
    this.pending.delete(key)
    this.waitingChanged()
    for (const waiter of waiting ?? []) waiter.resolve(answer)
  }

  protected reported(id: number, stats: [string, ProxyStats][]): void {
    this.members.get(id)?.reported(this, stats)
  }

  protected get awaiting(): boolean {
    return this.pending.size > 0
  }

  protected get dead(): boolean {
    return this.failure !== undefined
  }

  protected fail(error: Error): void {
    if (this.failure) return
    this.failure = error
    this.onGone(this)
    for (const waiting of this.pending.values()) for (const waiter of waiting) waiter.reject(error)
    this.pending.clear()
    this.waitingChanged()
    if (this.ending) return
    this.abandon()
    const orphans = [...this.members.values()]
    this.members.clear()
    for (const member of orphans) member.lost(this)
  }

  private end(): void {
    this.ending = true
    this.onGone(this)
    this.stop()
  }
}
