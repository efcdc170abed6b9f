import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { Configuration, createClientFactory, type PubSubClient } from '../src/index.js'
import { Inbox, publishUntilReceived, recordingLogger } from './support/inbox.js'
import { RedisServer } from './support/redis-server.js'

describe('pub/sub through Redis', () => {
  let redis: RedisServer
  let config: Configuration
  const clients: PubSubClient[] = []

  beforeAll(async () => {
    redis = await RedisServer.start()
    // as Micronetes injects it for `bindings: [{ protocol: redis }]`
    config = new Configuration({
      SERVICE__REDIS__HOST: 'localhost',
      SERVICE__REDIS__PORT: String(redis.port),
      SERVICE__REDIS__PROTOCOL: 'redis',
    })
  })

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
  })

  afterAll(async () => {
    await redis?.stop()
  })

  function client(logger = recordingLogger()): PubSubClient {
    const created = createClientFactory({ configuration: config }).pubsub.createClient('redis', { logger })
    clients.push(created)
    return created
  }

  it('chooses Redis by the binding protocol and delivers text, JSON and bytes', async () => {
    const publisher = client()
    const subscriber = client()
    expect(publisher.broker).toBe('redis')
    const inbox = new Inbox()
    await subscriber.subscribe('orders', inbox.handler)

    await publisher.publish('orders', 'tea for two')
    await publisher.publish('orders', { id: 7, items: ['tea'] })
    await publisher.publish('orders', new Uint8Array([0, 1, 255]))

    await inbox.waitFor(() => inbox.messages.length === 3)
    expect(inbox.messages.map((m) => m.topic)).toEqual(['orders', 'orders', 'orders'])
    expect(inbox.messages[0]?.text()).toBe('tea for two')
    expect(inbox.messages[1]?.json()).toEqual({ id: 7, items: ['tea'] })
    expect([...inbox.messages[2]!.data]).toEqual([0, 1, 255])
  })

  it('fans out to every subscriber, keeps topics apart and stops after unsubscribe', async () => {
    const publisher = client()
    const first = new Inbox()
    const second = new Inbox()
    const other = new Inbox()
    const subscriber = client()
    const stopFirst = await subscriber.subscribe('news', first.handler)
    await client().subscribe('news', second.handler)
    await subscriber.subscribe('weather', other.handler)

    await publisher.publish('news', 'one')
    await first.waitFor((m) => m.text() === 'one')
    await second.waitFor((m) => m.text() === 'one')

    await stopFirst()
    await publisher.publish('news', 'two')
    await publisher.publish('weather', 'sunny')
    await second.waitFor((m) => m.text() === 'two')
    // 'weather' was published after 'two' on the same connection, so 'two' has been routed too
    await other.waitFor((m) => m.text() === 'sunny')
    expect(first.texts()).toEqual(['one'])
    expect(other.texts()).toEqual(['sunny'])
  })

  it('reports a failing handler without losing later messages', async () => {
    const logger = recordingLogger()
    const subscriber = client(logger)
    const inbox = new Inbox()
    await subscriber.subscribe('jobs', () => {
      throw new Error('handler broke')
    })
    await subscriber.subscribe('jobs', inbox.handler)
    const publisher = client()
    await publisher.publish('jobs', 'a')
    await publisher.publish('jobs', 'b')
    await inbox.waitFor((m) => m.text() === 'b')
    expect(logger.lines.filter((line) => line.includes("a handler for topic 'jobs' failed: Error: handler broke"))).toHaveLength(2)
  })

  it('reconnects and subscribes again after the broker restarts', async () => {
    const publisherLog = recordingLogger()
    const subscriberLog = recordingLogger()
    const publisher = client(publisherLog)
    const subscriber = client(subscriberLog)
    const inbox = new Inbox()
    await subscriber.subscribe('orders', inbox.handler)
    await publisher.publish('orders', 'before restart')
    await inbox.waitFor((m) => m.text() === 'before restart')

    await redis.restart()

    const received = await publishUntilReceived((text) => publisher.publish('orders', text), inbox, 'after restart')
    expect(received).toMatch(/^after restart-\d+$/)
    expect(subscriberLog.lines.some((line) => line.startsWith(`warn: redis 'redis' (localhost:${redis.port}, subscriber)`) && line.endsWith('reconnecting'))).toBe(true)
    expect(subscriberLog.lines).toContain(`info: redis 'redis' (localhost:${redis.port}, subscriber): reconnected`)
  })

  it('lets a service register its own concrete client, here an ioredis instance', async () => {
    const factory = createClientFactory({ configuration: config })
      .register('ioredis', (target) => new Redis({ host: target.host, port: target.port }))
    const own = factory.ioredis.createClient('redis')
    try {
      await own.set('greeting', 'hello')
      expect(await own.get('greeting')).toBe('hello')
      expect(factory.provider<Redis>('ioredis').createClient).toBeTypeOf('function')
      expect(() => factory.register('ioredis' as never, () => 1)).toThrow("A client kind named 'ioredis' is already registered.")
      expect(() => factory.provider('grpc')).toThrow('No client kind named \'grpc\' is registered. Known kinds: http, pubsub, ioredis.')
    } finally {
      own.disconnect()
    }
  })

  it('reads a StackExchange-style connection string when the service has one', async () => {
    const withConnectionString = new Configuration({
      SERVICE__CACHE__PORT: '1',
      SERVICE__CACHE__PROTOCOL: 'redis',
      CONNECTIONSTRINGS__CACHE: `127.0.0.1:${redis.port},abortConnect=false`,
    })
    const publisher = createClientFactory({ configuration: withConnectionString }).pubsub.createClient('cache', { logger: recordingLogger() })
    clients.push(publisher)
    const subscriber = client()
    const inbox = new Inbox()
    await subscriber.subscribe('cs', inbox.handler)
    await publisher.publish('cs', 'via connection string')
    await inbox.waitFor((m) => m.text() === 'via connection string')
  })
})
