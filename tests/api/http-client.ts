// Plain node:http requests for the API tests, so a test can send any Host, Origin or body.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  text: string
  json<T = unknown>(): T
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** sent exactly as written (a URL would be normalized first, '..' and all) */
  rawPath?: string
}

export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = httpRequest(
      { hostname: target.hostname, port: target.port, path: options.rawPath ?? `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url} in 20 s`)))
    req.end(options.body)
  })
}

export function postJson(url: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Answer> {
  return request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
}

export interface StreamReader {
  status: number
  headers: IncomingHttpHeaders
  /** everything received so far */
  text(): string
  /** resolves once the received text satisfies the predicate */
  until(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>
  close(): void
}

/** an answer that streams (events, followed logs), read as it arrives */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
  return new Promise((resolve, reject) => {
    let received = ''
    const waiters = new Set<() => void>()
    const req = httpRequest(url, { headers }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        received += chunk
        for (const w of [...waiters]) w()
      })
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => received,
        until: (predicate, timeoutMs = 15_000) =>
          new Promise((done, fail) => {
            const check = (): void => {
              if (!predicate(received)) return
              waiters.delete(check)
              clearTimeout(timer)
              done(received)
            }
            const timer = setTimeout(() => {
              waiters.delete(check)
              fail(new Error(`stream ${url}: condition not met in ${timeoutMs} ms; received:\n${received.slice(-3000)}`))
            }, timeoutMs)
            waiters.add(check)
            check()
          }),
        close: () => req.destroy(),
      })
    })
    req.on('error', (err) => {
      if (!req.destroyed) reject(err)
    })
    req.end()
  })
}

/** the JSON of each `data:` line of a server-sent event stream, with its id when it had one */
export function parseEvents(text: string): { id?: number; data: Record<string, unknown> }[] {
  const events: { id?: number; data: Record<string, unknown> }[] = []
  for (const block of text.split('\n\n')) {
    let id: number | undefined
    let data: string | undefined
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = Number(line.slice(4))
      else if (line.startsWith('data: ')) data = line.slice(6)
    }
    if (data !== undefined) {
      try {
        events.push({ ...(id !== undefined ? { id } : {}), data: JSON.parse(data) as Record<string, unknown> })
      } catch {
        // the last block may still be arriving
      }
    }
  }
  return events
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
