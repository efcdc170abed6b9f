// An HTTP GET to a replica: healthy on 2xx or 3xx (redirects are not followed, as Kubernetes
// does not). Services bind "localhost" either way, so IPv4 loopback is tried, then IPv6.
import http from 'node:http'
import https from 'node:https'
import type { EnvVar } from '../../../src-shared/app-model'
import { LOOPBACK_ADDRESSES } from '../readiness'
import { seconds, type CheckResult } from './check-result'

export interface HttpTarget {
  port: number
  path: string
  scheme: 'http' | 'https'
  headers: EnvVar[]
  timeoutMs: number
}

/** the body is not needed: reading stops after this much, so a huge answer costs nothing */
const MAX_BODY_BYTES = 4096

export async function httpCheck(target: HttpTarget): Promise<CheckResult> {
  let last: CheckResult | undefined
  for (const host of LOOPBACK_ADDRESSES) {
    const result = await getOnce(host, target)
    if (result !== 'refused') return result
    last = { ok: false, message: `GET ${target.path}: nothing accepts connections on port ${target.port}` }
  }
  return last!
}

function getOnce(host: string, target: HttpTarget): Promise<CheckResult | 'refused'> {
  const what = `GET ${target.path}`
  const headers: Record<string, string> = { 'user-agent': 'micronetes-probe', connection: 'close' }
  for (const h of target.headers) headers[h.name.toLowerCase()] = h.value
  return new Promise((resolve) => {
    const client = target.scheme === 'https' ? https : http
    let settled = false
    const done = (result: CheckResult | 'refused'): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      resolve(result)
    }
    const request = client.request({
      host,
      port: target.port,
      path: target.path,
      method: 'GET',
      headers,
      agent: false,
      // a development certificate is self-signed: the probe asks whether it answers, not who it is
      ...(target.scheme === 'https' ? { rejectUnauthorized: false } : {}),
    })
    const timer = setTimeout(() => done({ ok: false, message: `${what} did not answer within ${seconds(target.timeoutMs)}` }), target.timeoutMs)
    request.on('response', (response) => {
      const code = response.statusCode ?? 0
      let read = 0
      response.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > MAX_BODY_BYTES) response.destroy()
      })
      response.on('error', () => {})
      done({ ok: code >= 200 && code < 400, message: `${what} answered ${code}` })
    })
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'EADDRNOTAVAIL') done('refused')
      else done({ ok: false, message: `${what} failed: ${err.code ?? err.message}` })
    })
    request.end()
  })
}
