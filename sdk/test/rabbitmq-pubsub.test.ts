import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { Configuration, createClientFactory, type PubSubClient } from '../src/index.js'
import { Inbox, publishUntilReceived, recordingLogger } from './support/inbox.js'
import { RabbitMqServer } from './support/rabbitmq-server.js'

describe('pub/sub through RabbitMQ', () => {
  let rabbit: RabbitMqServer
  let config: Configuration
  const clients: PubSubClient[] = []

  beforeAll(async () => {
    rabbit = await RabbitMqServer.start()
    // as Micronetes injects it for `bindings: [{ protocol: amqp }]`
    config = new Configuration({
      SERVICE__BROKER__HOST: 'localhost',
      SERVICE__BROKER__PORT: String(rabbit.port),
      SERVICE__BROKER__PROTOCOL: 'amqp',
    })
    // a RabbitMQ node boots in 4 s on an idle machine and several times that on a busy one
  }, 150_000)

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()))
  })

  afterAll(async () => {
    await rabbit?.dispose()
  }, 60_000)

  function client(logger = recordingLogger()): PubSubClient {
    const created = createClientFactory({ configuration: config }).pubsub.createClient('broker', { logger })
    clients.push(created)
    return created
  }

  it('chooses RabbitMQ by the binding protocol and delivers text, JSON and bytes', async () => {
    const publisher = client()
    const subscriber = client()
    expect(publisher.broker).toBe('rabbitmq')
    const inbox = new Inbox()
    await subscriber.subscribe('orders', inbox.handler)

    await publisher.publish('orders', 'tea for two')
    await publisher.publish('orders', { id: 7, items: ['tea'] })
    await publisher.publish('orders', new Uint8Array([0, 1, 255]))

    await inbox.waitFor(() => inbox.messages.length === 3)
    expect(inbox.messages[0]?.text()).toBe('tea for two')
    expect(inbox.messages[1]?.json()).toEqual({ id: 7, items: ['tea'] })
    expect([...inbox.messages[2]!.data]).toEqual([0, 1, 255])
  })

  it('fans out to every subscriber, matches topics exactly and stops after unsubscribe', async () => {
    const publisher = client()
    const subscriber = client()
    const first = new Inbox()
    const second = new Inbox()
    const dotted = new Inbox()
    const stopFirst = await subscriber.subscribe('news', first.handler)
    await client().subscribe('news', second.handler)
    await subscriber.subscribe('news.sport', dotted.handler)

    await publisher.publish('news', 'one')
    await first.waitFor((m) => m.text() === 'one')
    await second.waitFor((m) => m.text() === 'one')

    await stopFirst()
    await publisher.publish('news', 'two')
    await publisher.publish('news.sport', 'goal')
    await second.waitFor((m) => m.text() === 'two')
    await dotted.waitFor((m) => m.text() === 'goal')
    expect(first.texts()).toEqual(['one'])
    expect(dotted.texts()).toEqual(['goal'])
  })

  it('accepts an amqp:// connection string with credentials', async () => {
    const withConnectionString = new Configuration({ CONNECTIONSTRINGS__QUEUE: rabbit.url })
    const publisher = createClientFactory({ configuration: withConnectionString }).pubsub.createClient('queue', { logger: recordingLogger() })
    clients.push(publisher)
    expect(publisher.broker).toBe('rabbitmq')
    const inbox = new Inbox()
    await client().subscribe('cs', inbox.handler)
    await publisher.publish('cs', 'via connection string')
    await inbox.waitFor((m) => m.text() === 'via connection string')
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

    await rabbit.restart()

    const received = await publishUntilReceived((text) => publisher.publish('orders', text), inbox, 'after restart')
    expect(received).toMatch(/^after restart-\d+$/)
    expect(subscriberLog.lines).toContain(`warn: rabbitmq 'broker' (amqp://localhost:${rabbit.port}): connection lost; reconnecting`)
    expect(subscriberLog.lines).toContain(`info: rabbitmq 'broker' (amqp://localhost:${rabbit.port}): reconnected`)
  }, 240_000)
})
