// Answers with the greeting its build produced, so a saved edit can be seen from curl.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const instance = process.env.APP_INSTANCE ?? 'greeter'
const { greeting, builtAt } = JSON.parse(readFileSync('dist/greeting.json', 'utf8'))
const audience = process.env.AUDIENCE ?? 'world'
const text = process.env.GREETING_STYLE === 'loud' ? `${greeting.toUpperCase()}, ${audience.toUpperCase()}!` : `${greeting}, ${audience}.`

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
  res.end(`${text} (${instance}, built ${builtAt})\n`)
})
server.listen(Number((process.env.PORT ?? '5010').split(';')[0]), () => console.log(`${instance}: ${text}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
