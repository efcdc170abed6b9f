// RabbitMQ pub/sub over amqplib. Topics are routing keys on one direct exchange; each subscribed
// topic gets its own exclusive, server-named queue, so every subscriber sees every message, as
// with Redis. amqplib does not reconnect by itself (before 2.x): when the connection drops this
// client reconnects with backoff, declares the exchange again and re-creates every subscription.

import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib'

import type { ServiceBinding } from '../discovery.js'
import { loadOptional } from '../optional-module.js'
import {
  checkTopic, consoleLogger, dispatch, encodePayload, toMessage,
  type PubSubClient, type PubSubClientOptions, type PubSubHandler, type PubSubLogger, type PubSubPayload, type Unsubscribe,
} from './pubsub-client.js'

type Connect = (url: string) => Promise<ChannelModel>

async function loadConnect(): Promise<Connect> {
  const mod = await loadOptional('amqplib', 'A RabbitMQ pub/sub client', () => import('amqplib'))
  return (mod.connect ?? (mod as unknown as { default: { connect: Connect } }).default.connect) as Connect
}

/** An `amqp://` connection string as it is, else the binding's address with RabbitMQ's default guest account. */
export function amqpUrl(target: ServiceBinding): string {
  const cs = target.connectionString?.trim()
  if (cs && /^amqps?:\/\//i.test(cs)) return cs
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return target.protocol === 'amqps' ? `amqps://${host}:${target.port ?? 5671}` : `amqp://${host}:${target.port ?? 5672}`
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@')
}

interface Subscription {
  handlers: Set<PubSubHandler>
  consumerTag?: string
}

const MAX_BACKOFF_MS = 2000

export class RabbitMqPubSubClient implements PubSubClient {
  readonly broker = 'rabbitmq'
  private readonly logger: PubSubLogger
  private readonly url: string
  private readonly exchange: string
  private readonly timeoutMs: number
  private readonly subscriptions = new Map<string, Subscription>()
  private connection?: ChannelModel
  private channel?: ConfirmChannel
  private connecting?: Promise<ConfirmChannel>
  private closed = false
  private connectedBefore = false
  private wakeUp?: () => void

  constructor(
    private readonly target: ServiceBinding,
    options: PubSubClientOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger
    this.url = amqpUrl(target)
    this.exchange = options.exchange ?? 'micronetes.pubsub'
    this.timeoutMs = options.timeoutMs ?? 30_000
  }

  get service(): string {
    return this.target.service
  }

  async publish(topic: string, message: PubSubPayload): Promise<void> {
    checkTopic(topic)
    const { data, contentType } = encodePayload(message)
    const channel = await this.withTimeout(this.ready(), `publishing to '${topic}'`)
    await new Promise<void>((resolve, reject) => {
      channel.publish(this.exchange, topic, data, { contentType }, (error: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error(`RabbitMQ '${this.service}' refused the message for '${topic}'.`))
        else resolve()
      })
    })
  }

  async subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe> {
    checkTopic(topic)
    let subscription = this.subscriptions.get(topic)
    if (subscription) {
      subscription.handlers.add(handler)
    } else {
      subscription = { handlers: new Set([handler]) }
      this.subscriptions.set(topic, subscription)
      try {
        await this.startConsuming(topic, subscription)
      } catch (error) {
        this.subscriptions.delete(topic)
        throw error
      }
    }
    let active = true
    return async () => {
      if (!active) return
      active = false
      const current = this.subscriptions.get(topic)
      if (!current) return
      current.handlers.delete(handler)
      if (current.handlers.size > 0) return
      this.subscriptions.delete(topic)
      // the queue is exclusive and auto-deleted: cancelling the consumer removes it
      if (current.consumerTag !== undefined && this.channel) await this.channel.cancel(current.consumerTag).catch(() => undefined)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.subscriptions.clear()
    this.wakeUp?.()
    const connection = this.connection
    this.connection = undefined
    this.channel = undefined
    await connection?.close().catch(() => undefined)
  }

  private ready(): Promise<ConfirmChannel> {
    if (this.closed) return Promise.reject(new Error(`The pub/sub client of service '${this.service}' is closed.`))
    if (this.channel) return Promise.resolve(this.channel)
    this.connecting ??= this.connectWithRetry(false).finally(() => {
      this.connecting = undefined
    })
    return this.connecting
  }

  /** `reported`: the loss was already logged, so the reconnection must be too. */
  private async connectWithRetry(reported: boolean): Promise<ConfirmChannel> {
    const connect = await loadConnect()
    let delay = 100
    for (;;) {
      if (this.closed) throw new Error(`The pub/sub client of service '${this.service}' is closed.`)
      try {
        const channel = await this.connectOnce(connect)
        if (reported) this.logger.info?.(`rabbitmq '${this.service}' (${redact(this.url)}): ${this.connectedBefore ? 'reconnected' : 'connected'}`)
        this.connectedBefore = true
        return channel
      } catch (error) {
        if (!reported) this.logger.warn(`rabbitmq '${this.service}' (${redact(this.url)}): ${error instanceof Error ? error.message : String(error)}; retrying`)
        reported = true
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay)
          this.wakeUp = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        delay = Math.min(delay * 2, MAX_BACKOFF_MS)
      }
    }
  }

  private async connectOnce(connect: Connect): Promise<ConfirmChannel> {
    const connection = await connect(this.url)
    try {
      // without an 'error' listener amqplib's EventEmitter would throw; 'close' follows it
      connection.on('error', () => undefined)
      const channel = await connection.createConfirmChannel()
      channel.on('error', () => undefined)
      await channel.assertExchange(this.exchange, 'direct', { durable: false, autoDelete: false })
      for (const [topic, subscription] of this.subscriptions) {
        subscription.consumerTag = undefined
        await this.consume(channel, topic, subscription)
      }
      if (this.closed) throw new Error('closed while connecting')
      connection.on('close', () => this.lost(connection))
      channel.on('close', () => this.lost(connection))
      this.connection = connection
      this.channel = channel
      return channel
    } catch (error) {
      await connection.close().catch(() => undefined)
      throw error
    }
  }

  private async startConsuming(topic: string, subscription: Subscription): Promise<void> {
    for (;;) {
      const channel = await this.withTimeout(this.ready(), `subscribing to '${topic}'`)
      // a reconnection racing this call consumes every subscription it finds, this one included
      if (subscription.consumerTag !== undefined) return
      try {
        await this.consume(channel, topic, subscription)
        return
      } catch (error) {
        // the channel died under us: the reconnection will consume it, or the next turn will
        if (this.channel === channel || this.closed) throw error
      }
    }
  }

  private async consume(channel: ConfirmChannel, topic: string, subscription: Subscription): Promise<void> {
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })
    await channel.bindQueue(queue, this.exchange, topic)
    const { consumerTag } = await channel.consume(queue, (delivery: ConsumeMessage | null) => {
      if (delivery) void dispatch(subscription.handlers, toMessage(topic, delivery.content), this.logger)
    }, { noAck: true })
    subscription.consumerTag = consumerTag
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return
    this.connection = undefined
    this.channel = undefined
    for (const subscription of this.subscriptions.values()) subscription.consumerTag = undefined
    void connection.close().catch(() => undefined)
    if (this.closed) return
    this.logger.warn(`rabbitmq '${this.service}' (${redact(this.url)}): connection lost; reconnecting`)
    // subscribers must come back without waiting for a publish
    this.connecting ??= this.connectWithRetry(true).finally(() => {
      this.connecting = undefined
    })
    this.connecting.catch((error: unknown) => {
      if (!this.closed) this.logger.warn(`rabbitmq '${this.service}': ${error instanceof Error ? error.message : String(error)}`)
    })
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    if (this.timeoutMs <= 0) return promise
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rabbitmq '${this.service}' (${redact(this.url)}) is unreachable: gave up ${what} after ${this.timeoutMs} ms.`)), this.timeoutMs)
    })
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
  }
}
