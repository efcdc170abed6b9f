// Redis pub/sub over ioredis. A connection in subscribe mode can run no other command, so
// publishing and subscribing use two connections, each opened on first use. ioredis reconnects
// by itself and re-subscribes its channels; publishes made meanwhile wait in its offline queue.

import type { Redis as RedisClient, RedisOptions } from 'ioredis'

import type { ServiceBinding } from '../discovery.js'
import { loadOptional } from '../optional-module.js'
import {
  checkTopic, consoleLogger, dispatch, encodePayload, toMessage,
  type PubSubClient, type PubSubClientOptions, type PubSubHandler, type PubSubLogger, type PubSubPayload, type Unsubscribe,
} from './pubsub-client.js'

type RedisConstructor = new (options: RedisOptions) => RedisClient

async function loadRedis(): Promise<RedisConstructor> {
  const mod = await loadOptional('ioredis', 'A Redis pub/sub client', () => import('ioredis'))
  return (mod.Redis ?? mod.default) as unknown as RedisConstructor
}

/** Accepts `redis://` URLs, StackExchange-style `host:port,password=...` strings, or the binding's address. */
export function redisOptions(target: ServiceBinding): RedisOptions {
  const cs = target.connectionString?.trim()
  if (cs && /^rediss?:\/\//i.test(cs)) {
    const url = new URL(cs)
    const options: RedisOptions = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 6379 }
    if (url.username) options.username = decodeURIComponent(url.username)
    if (url.password) options.password = decodeURIComponent(url.password)
    const db = url.pathname.replace('/', '')
    if (db) options.db = Number(db)
    if (url.protocol === 'rediss:') options.tls = {}
    return options
  }
  if (cs) {
    const [address = '', ...settings] = cs.split(',').map((part) => part.trim())
    const colon = address.lastIndexOf(':')
    const options: RedisOptions = colon > 0
      ? { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) }
      : { host: address || target.host, port: target.port ?? 6379 }
    for (const setting of settings) {
      const [key = '', value = ''] = setting.split('=', 2)
      if (key.toLowerCase() === 'password') options.password = value
      if (key.toLowerCase() === 'ssl' && value.toLowerCase() === 'true') options.tls = {}
    }
    if (!Number.isInteger(options.port)) {
      throw new Error(`The connection string of service '${target.service}' ('${cs}') has no valid port.`)
    }
    return options
  }
  return { host: target.host, port: target.port ?? 6379, ...(target.protocol === 'rediss' ? { tls: {} } : {}) }
}

export class RedisPubSubClient implements PubSubClient {
  readonly broker = 'redis'
  private readonly logger: PubSubLogger
  private readonly options: RedisOptions
  private publisher?: Promise<RedisClient>
  private subscriber?: Promise<RedisClient>
  private readonly handlers = new Map<string, Set<PubSubHandler>>()
  private closed = false

  constructor(
    private readonly target: ServiceBinding,
    options: PubSubClientOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger
    const timeoutMs = options.timeoutMs ?? 30_000
    this.options = {
      ...redisOptions(target),
      // keep trying while the broker restarts; a command waiting for it gives up after timeoutMs
      retryStrategy: (times) => Math.min(times * 100, 2000),
      maxRetriesPerRequest: null,
      ...(timeoutMs > 0 ? { commandTimeout: timeoutMs } : {}),
    }
  }

  get service(): string {
    return this.target.service
  }

  async publish(topic: string, message: PubSubPayload): Promise<void> {
    checkTopic(topic)
    const { data } = encodePayload(message)
    const publisher = await this.connection('publisher')
    try {
      await publisher.publish(topic, data)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`redis '${this.service}' (${this.options.host}:${this.options.port}): publishing to '${topic}' failed: ${reason}`, { cause: error })
    }
  }

  async subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe> {
    checkTopic(topic)
    let set = this.handlers.get(topic)
    const first = !set
    if (!set) {
      set = new Set()
      this.handlers.set(topic, set)
    }
    set.add(handler)
    if (first) {
      try {
        await (await this.connection('subscriber')).subscribe(topic)
      } catch (error) {
        set.delete(handler)
        if (set.size === 0) this.handlers.delete(topic)
        throw error
      }
    }
    let active = true
    return async () => {
      if (!active) return
      active = false
      const current = this.handlers.get(topic)
      current?.delete(handler)
      if (current && current.size === 0) {
        this.handlers.delete(topic)
        if (!this.closed && this.subscriber) await (await this.subscriber).unsubscribe(topic)
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.handlers.clear()
    const connections = await Promise.allSettled([this.publisher, this.subscriber].filter((c) => c !== undefined))
    await Promise.all(connections.map(async (result) => {
      if (result.status !== 'fulfilled') return
      const client = result.value
      // QUIT would wait in the offline queue while the broker is down
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect())
      else client.disconnect()
    }))
  }

  private connection(role: 'publisher' | 'subscriber'): Promise<RedisClient> {
    if (this.closed) return Promise.reject(new Error(`The pub/sub client of service '${this.service}' is closed.`))
    const existing = role === 'publisher' ? this.publisher : this.subscriber
    if (existing) return existing
    const created = this.open(role)
    if (role === 'publisher') this.publisher = created
    else this.subscriber = created
    // a failed first load (missing library) must not stick: the next call tries again
    created.catch(() => {
      if (role === 'publisher' && this.publisher === created) this.publisher = undefined
      if (role === 'subscriber' && this.subscriber === created) this.subscriber = undefined
    })
    return created
  }

  private async open(role: 'publisher' | 'subscriber'): Promise<RedisClient> {
    const Redis = await loadRedis()
    const client = new Redis({ ...this.options, connectionName: `micronetes-${role}` })
    const where = `redis '${this.service}' (${this.options.host}:${this.options.port}, ${role})`
    let lost = false
    const report = (reason: string) => {
      if (!lost && !this.closed) this.logger.warn(`${where}: ${reason}; reconnecting`)
      lost = true
    }
    // a broker that shuts down cleanly closes the socket without an error
    client.on('close', () => report('connection lost'))
    client.on('error', (error: Error) => report(error.message))
    let connectedBefore = false
    client.on('ready', () => {
      if (lost) this.logger.info?.(`${where}: ${connectedBefore ? 'reconnected' : 'connected'}`)
      lost = false
      connectedBefore = true
    })
    if (role === 'subscriber') {
      client.on('messageBuffer', (channel: Buffer, data: Buffer) => {
        const topic = channel.toString('utf8')
        const set = this.handlers.get(topic)
        if (set) void dispatch(set, toMessage(topic, data), this.logger)
      })
    }
    return client
  }
}
