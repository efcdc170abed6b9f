import { describe, expect, it } from 'vitest'

import { Configuration, brokerOf, createClientFactory, resolveServiceBinding } from '../src/index.js'
import { amqpUrl } from '../src/pubsub/rabbitmq-pubsub.js'
import { redisOptions } from '../src/pubsub/redis-pubsub.js'

const config = new Configuration({
  SERVICE__CACHE__PORT: '6380', SERVICE__CACHE__PROTOCOL: 'redis',
  SERVICE__SECURE__PORT: '6390', SERVICE__SECURE__PROTOCOL: 'rediss',
  SERVICE__QUEUE__PORT: '5673', SERVICE__QUEUE__PROTOCOL: 'amqp',
  SERVICE__BUS__PORT: '5674', SERVICE__BUS__PROTOCOL: 'rabbitmq',
  CONNECTIONSTRINGS__EXTERNAL: 'redis://:s3cret@cache.internal:6400/2',
  CONNECTIONSTRINGS__HOSTED: 'amqps://app:pw@mq.example.com/vhost',
  CONNECTIONSTRINGS__LEGACY: 'redis.internal:6500,password=pw,ssl=true',
  SERVICE__LEGACY__PROTOCOL: 'redis',
  SERVICE__WEB__PORT: '5005',
})
const target = (name: string) => resolveServiceBinding(name, undefined, config)

describe('choosing the broker', () => {
  it('goes by the binding protocol, then by the connection string scheme', () => {
    expect(['cache', 'secure', 'queue', 'bus', 'external', 'hosted', 'legacy'].map((name) => brokerOf(target(name))))
      .toEqual(['redis', 'redis', 'rabbitmq', 'rabbitmq', 'redis', 'rabbitmq', 'redis'])
    expect(brokerOf(target('web'))).toBeUndefined()
  })

  it('refuses a service that is not a broker, saying what to write in app.yaml', () => {
    const factory = createClientFactory({ configuration: config })
    expect(() => factory.pubsub.createClient('web')).toThrow("service 'web' speaks 'http', which is not a pub/sub broker: give its binding `protocol: redis` or `protocol: amqp` in app.yaml.")
    expect(() => factory.pubsub.createClient('nope')).toThrow(/Unknown service 'nope'.*Known services: bus, cache, external, hosted, legacy, queue, secure, web\./)
  })

  it('builds the Redis address from a URL, a StackExchange string or the binding', () => {
    expect(redisOptions(target('cache'))).toEqual({ host: 'localhost', port: 6380 })
    expect(redisOptions(target('secure'))).toEqual({ host: 'localhost', port: 6390, tls: {} })
    expect(redisOptions(target('external'))).toEqual({ host: 'cache.internal', port: 6400, password: 's3cret', db: 2 })
    expect(redisOptions(target('legacy'))).toEqual({ host: 'redis.internal', port: 6500, password: 'pw', tls: {} })
  })

  it('builds the AMQP URL from a connection string or the binding', () => {
    expect(amqpUrl(target('queue'))).toBe('amqp://localhost:5673')
    expect(amqpUrl(target('hosted'))).toBe('amqps://app:pw@mq.example.com/vhost')
  })
})
