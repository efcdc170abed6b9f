// The frontend: a plain Node process. It finds the backend through the variables Micronetes
// injects (SERVICE__BACKEND__HOST / __PORT), which point at the proxy in front of the
// backend's containers, so every request may be answered by another container.
import { createServer } from 'node:http'

const instance = process.env.APP_INSTANCE ?? 'frontend'
const port = Number((process.env.PORT ?? '5010').split(';')[0])
const backend = `http://${process.env.SERVICE__BACKEND__HOST ?? 'localhost'}:${process.env.SERVICE__BACKEND__PORT ?? '5011'}/cgi-bin/hello`

const server = createServer(async (request, response) => {
  try {
    const answer = await fetch(backend, { signal: AbortSignal.timeout(2000) })
    const text = (await answer.text()).trim()
    console.log(`${request.method} ${request.url} -> backend: ${text}`)
    response.end(`${instance} asked the backend, which said: ${text}\n`)
  } catch (error) {
    console.error(`cannot reach the backend at ${backend}: ${error.message}`)
    response.statusCode = 502
    response.end(`cannot reach the backend at ${backend}: ${error.message}\n`)
  }
})

server.listen(port, '127.0.0.1', () => console.log(`${instance} listening on port ${port}; backend at ${backend}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
