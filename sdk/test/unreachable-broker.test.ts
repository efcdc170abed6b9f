import { describe, expect, it } from 'vitest'

import { Configuration, createClientFactory } from '../src/index.js'
import { recordingLogger } from './support/inbox.js'
import { freePort } from './support/ports.js'

// nothing listens on the broker's port: a publish waits timeoutMs, then says who and where
describe('a broker that cannot be reached', () => {
  for (const protocol of ['redis', 'amqp']) {
    it(`${protocol}: publish gives up after its timeout, naming the service and address`, async () => {
      const port = await freePort()
      const config = new Configuration({ SERVICE__BROKER__PORT: String(port), SERVICE__BROKER__PROTOCOL: protocol })
      const logger = recordingLogger()
      const client = createClientFactory({ configuration: config }).pubsub.createClient('broker', { logger, timeoutMs: 500 })
      try {
        const broker = protocol === 'redis' ? 'redis' : 'rabbitmq'
        await expect(client.publish('orders', 'x')).rejects.toThrow(new RegExp(`${broker} 'broker' \\((amqp://)?localhost:${port}.*(timed out|gave up publishing to 'orders' after 500 ms)`))
        expect(logger.lines.some((line) => line.startsWith(`warn: ${broker} 'broker'`) && line.includes('ECONNREFUSED'))).toBe(true)
      } finally {
        await client.close()
      }
    })
  }
})
