// An HTTP client bound to one service's discovered address, over the fetch built into Node.

import type { ServiceBinding } from './discovery.js'

type HeadersInit = ConstructorParameters<typeof Headers>[0]
type BodyInit = NonNullable<RequestInit['body']>

export interface HttpClientOptions {
  /** how long a request may take, headers and body together (default 30 s); 0 for no limit */
  timeoutMs?: number
  /** sent with every request */
  headers?: HeadersInit
}

export interface HttpRequestInit extends Omit<RequestInit, 'body'> {
  body?: RequestInit['body']
  /** overrides the client's timeout for this request */
  timeoutMs?: number
}

/** A non-2xx answer to one of the JSON helpers. */
export class HttpError extends Error {
  override readonly name = 'HttpError'

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    const excerpt = body.length > 200 ? `${body.slice(0, 200)}...` : body
    super(`${method} ${url} answered ${status}${excerpt ? `: ${excerpt}` : ''}`)
  }
}

/** A request that got no answer: refused, reset, timed out or aborted. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError'

  constructor(
    readonly method: string,
    readonly url: string,
    readonly service: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${method} ${url} (service '${service}') failed: ${reason}`, options)
  }
}

const DEFAULT_TIMEOUT_MS = 30_000

function isRawBody(body: unknown): body is BodyInit {
  return typeof body === 'string'
    || body instanceof Uint8Array
    || body instanceof ArrayBuffer
    || body instanceof URLSearchParams
    || body instanceof FormData
    || body instanceof Blob
    || body instanceof ReadableStream
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`
  if (error instanceof DOMException && error.name === 'AbortError') return 'aborted'
  // undici reports network failures as TypeError('fetch failed') with the socket error as cause
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    return code ? `${code} (${cause.message})` : cause.message
  }
  return error instanceof Error ? error.message : String(error)
}

export class HttpClient {
  readonly baseUrl: URL
  private readonly timeoutMs: number
  private readonly headers: Headers

  constructor(
    readonly target: ServiceBinding,
    options: HttpClientOptions = {},
  ) {
    if (!target.uri) {
      throw new Error(`Service '${target.service}' has no port, so an HTTP client cannot reach it.`)
    }
    if (target.protocol !== 'http' && target.protocol !== 'https') {
      throw new Error(`Service '${target.service}' speaks '${target.protocol}', not http or https: an HTTP client cannot talk to it.`)
    }
    this.baseUrl = target.uri
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.headers = new Headers(options.headers)
  }

  get service(): string {
    return this.target.service
  }

  /** The absolute URL of a path on this service; absolute URLs are refused so calls stay on the service. */
  url(path: string): URL {
    if (/^[a-z][a-z\d+.-]*:/i.test(path) || path.startsWith('//')) {
      throw new TypeError(`Pass a path such as '/orders', not a URL ('${path}'): the client is bound to service '${this.service}' at ${this.baseUrl.origin}.`)
    }
    return new URL(path, this.baseUrl)
  }

  async fetch(path: string, init: HttpRequestInit = {}): Promise<Response> {
    const { timeoutMs = this.timeoutMs, headers, signal, ...rest } = init
    const url = this.url(path)
    const method = (rest.method ?? 'GET').toUpperCase()
    const merged = new Headers(this.headers)
    new Headers(headers).forEach((value, key) => merged.set(key, value))
    const signals = [signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s != null)
    try {
      return await fetch(url, { ...rest, method, headers: merged, signal: signals.length > 0 ? AbortSignal.any(signals) : null })
    } catch (error) {
      throw new HttpRequestError(method, url.href, this.service, describeFailure(error, timeoutMs), { cause: error })
    }
  }

  get(path: string, init?: HttpRequestInit): Promise<Response> {
    return this.fetch(path, { ...init, method: 'GET' })
  }

  /** A plain object or array is sent as JSON; strings, bytes, forms and streams as they are. */
  post(path: string, body?: unknown, init?: HttpRequestInit): Promise<Response> {
    return this.send('POST', path, body, init)
  }

  put(path: string, body?: unknown, init?: HttpRequestInit): Promise<Response> {
    return this.send('PUT', path, body, init)
  }

  delete(path: string, init?: HttpRequestInit): Promise<Response> {
    return this.fetch(path, { ...init, method: 'DELETE' })
  }

  /** GET and parse JSON; a non-2xx answer throws HttpError. */
  async getJson<T = unknown>(path: string, init?: HttpRequestInit): Promise<T> {
    return this.json<T>('GET', await this.fetch(path, { ...init, method: 'GET', headers: withAccept(init?.headers) }))
  }

  /** POST JSON and parse the JSON answer (undefined for 204); a non-2xx answer throws HttpError. */
  async postJson<T = unknown>(path: string, body: unknown, init?: HttpRequestInit): Promise<T> {
    return this.json<T>('POST', await this.send('POST', path, body, { ...init, headers: withAccept(init?.headers) }))
  }

  private send(method: string, path: string, body: unknown, init: HttpRequestInit = {}): Promise<Response> {
    if (body === undefined || body === null || isRawBody(body)) {
      return this.fetch(path, { ...init, method, body: (body ?? null) as BodyInit | null })
    }
    const headers = new Headers(init.headers)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    return this.fetch(path, { ...init, method, headers, body: JSON.stringify(body) })
  }

  private async json<T>(method: string, response: Response): Promise<T> {
    let text: string
    try {
      text = await response.text()
    } catch (error) {
      throw new HttpRequestError(method, response.url, this.service, `reading the answer: ${describeFailure(error, this.timeoutMs)}`, { cause: error })
    }
    if (!response.ok) throw new HttpError(method, response.url, response.status, text)
    if (text === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new Error(`${method} ${response.url} (service '${this.service}') answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, { cause: error })
    }
  }
}

function withAccept(headers: HeadersInit | undefined): Headers {
  const merged = new Headers(headers)
  if (!merged.has('accept')) merged.set('accept', 'application/json')
  return merged
}
