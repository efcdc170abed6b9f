/** What can be published: text and bytes go as they are, anything else as JSON. */
export type PubSubPayload = string | Uint8Array | Record<string, unknown> | unknown[] | number | boolean | null

export interface PubSubMessage {
  topic: string
  data: Buffer
  text(): string
  json<T = unknown>(): T
}

export type PubSubHandler = (message: PubSubMessage) => void | Promise<void>

/** Stops one subscription; the broker subscription ends with the topic's last handler. */
export type Unsubscribe = () => Promise<void>

/**
 * Publish / subscribe over a broker service of the application. Every subscriber of a topic gets
 * every message published to it after it subscribed (fan-out); topics are matched exactly.
 * Clients reconnect by themselves when the broker restarts and subscribe again.
 */
export interface PubSubClient {
  readonly service: string
  readonly broker: 'redis' | 'rabbitmq'
  publish(topic: string, message: PubSubPayload): Promise<void>
  subscribe(topic: string, handler: PubSubHandler): Promise<Unsubscribe>
  close(): Promise<void>
}

export interface PubSubLogger {
  warn(message: string): void
  info?(message: string): void
}

export interface PubSubClientOptions {
  /** where connection losses, reconnections and handler errors are reported (default: console) */
  logger?: PubSubLogger
  /** how long a publish or a subscribe waits for an unreachable broker before it fails (default 30 s; 0: forever) */
  timeoutMs?: number
  /** RabbitMQ only: the direct exchange topics are routed through (default `micronetes.pubsub`) */
  exchange?: string
}

export const consoleLogger: PubSubLogger = {
  warn: (message) => console.warn(`[@micronetes/sdk] ${message}`),
  info: (message) => console.info(`[@micronetes/sdk] ${message}`),
}

export function encodePayload(message: PubSubPayload): { data: Buffer; contentType: string } {
  if (typeof message === 'string') return { data: Buffer.from(message, 'utf8'), contentType: 'text/plain' }
  if (message instanceof Uint8Array) return { data: Buffer.from(message), contentType: 'application/octet-stream' }
  return { data: Buffer.from(JSON.stringify(message), 'utf8'), contentType: 'application/json' }
}

export function toMessage(topic: string, data: Buffer): PubSubMessage {
  return {
    topic,
    data,
    text: () => data.toString('utf8'),
    json: <T>() => JSON.parse(data.toString('utf8')) as T,
  }
}

export function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || topic.trim() === '') throw new TypeError('A topic name is required (got an empty string).')
}

/** Runs every handler of a topic; a failing handler is reported and never stops the others. */
export async function dispatch(handlers: Iterable<PubSubHandler>, message: PubSubMessage, logger: PubSubLogger): Promise<void> {
  for (const handler of [...handlers]) {
    try {
      await handler(message)
    } catch (error) {
      logger.warn(`a handler for topic '${message.topic}' failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
    }
  }
}
