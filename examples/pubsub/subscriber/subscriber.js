// Prints every tick the publisher sends. Each replica subscribes on its own, so each one sees
// every tick (fan-out); when Redis restarts, the client reconnects and subscribes again.
import { createClientFactory } from '@micronetes/sdk'

const instance = process.env.APP_INSTANCE ?? 'subscriber'
const broker = createClientFactory().pubsub.createClient('redis')

await broker.subscribe('ticks', (message) => {
  const tick = message.json()
  console.log(`${instance}: tick ${tick.n} from ${tick.from}`)
})
console.log(`${instance}: subscribed to 'ticks'`)

process.on('SIGTERM', async () => {
  await broker.close()
  console.log(`${instance} stopping`)
  process.exit(0)
})
