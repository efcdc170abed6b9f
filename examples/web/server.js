// A small HTTP service: each replica listens on the port Micronetes gives it in PORT and says
// which replica answered, so the proxy's round robin can be seen from curl.
import { createServer } from 'node:http'

const instance = process.env.APP_INSTANCE ?? 'web'
// PORT holds one port per binding, ;-joined; web has one binding
const port = Number((process.env.PORT ?? '5005').split(';')[0])
let requests = 0

const server = createServer((req, res) => {
  // the readiness probe of app.yaml asks this every second: answered, not logged
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
    return res.end('ok\n')
  }
  requests += 1
  console.log(`${req.method} ${req.url} -> ${instance} (request ${requests})`)
  const body = JSON.stringify({ service: 'web', instance, requests, time: new Date().toISOString() })
  // one request per connection: the proxy balances connections, so a client that kept its
  // connection alive would always meet the same replica and the round robin would not show
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close' })
  res.end(body + '\n')
})

server.listen(port, () => console.log(`${instance} listening on port ${server.address().port}`))

process.on('SIGTERM', () => {
  console.log(`${instance} stopping`)
  server.close(() => process.exit(0))
  server.closeAllConnections()
})
