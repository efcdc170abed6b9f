import type { ServiceBinding } from '../discovery.js'
import type { PubSubClient, PubSubClientOptions } from './pubsub-client.js'
import { RabbitMqPubSubClient } from './rabbitmq-pubsub.js'
import { RedisPubSubClient } from './redis-pubsub.js'

const REDIS_PROTOCOLS = new Set(['redis', 'rediss'])
const RABBITMQ_PROTOCOLS = new Set(['amqp', 'amqps', 'rabbitmq'])

/** The broker a binding speaks: its protocol, else the scheme of its connection string. */
export function brokerOf(target: ServiceBinding): 'redis' | 'rabbitmq' | undefined {
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(target.connectionString?.trim() ?? '')?.[1]?.toLowerCase()
  for (const protocol of [target.protocol, scheme]) {
    if (protocol && REDIS_PROTOCOLS.has(protocol)) return 'redis'
    if (protocol && RABBITMQ_PROTOCOLS.has(protocol)) return 'rabbitmq'
  }
  return undefined
}

export function createPubSubClient(target: ServiceBinding, options?: PubSubClientOptions): PubSubClient {
  switch (brokerOf(target)) {
    case 'redis':
      return new RedisPubSubClient(target, options)
    case 'rabbitmq':
      return new RabbitMqPubSubClient(target, options)
    default: {
      const which = target.binding === undefined ? `service '${target.service}'` : `service '${target.service}' binding '${target.binding}'`
      throw new Error(`${which} speaks '${target.protocol}', which is not a pub/sub broker: give its binding \`protocol: redis\` or \`protocol: amqp\` in app.yaml.`)
    }
  }
}
