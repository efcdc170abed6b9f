// The body of a plain GET to 127.0.0.1 (a fresh connection each time, so round robin shows).
import { request } from 'node:http'

export function get(port: number, path = '/'): Promise<string> {
  return new Promise((done, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => done(body))
    })
      .on('error', reject)
      .end()
  })
}
