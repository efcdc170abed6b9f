// Publishes a numbered tick every second on the topic 'ticks' of the application's broker.
// The broker is whatever service 'redis' is: the SDK reads its address and protocol from the
// variables Micronetes injects, so this file names no host or port.
import { createClientFactory } from '@micronetes/sdk'

const instance = process.env.APP_INSTANCE ?? 'publisher'
const broker = createClientFactory().pubsub.createClient('redis')
let n = 0

const timer = setInterval(async () => {
  n += 1
  try {
    await broker.publish('ticks', { n, from: instance, at: new Date().toISOString() })
    console.log(`${instance}: published tick ${n}`)
  } catch (error) {
    console.error(`${instance}: could not publish tick ${n}: ${error.message}`)
  }
}, 1000)

process.on('SIGTERM', async () => {
  clearInterval(timer)
  await broker.close()
  console.log(`${instance} stopping`)
  process.exit(0)
})
