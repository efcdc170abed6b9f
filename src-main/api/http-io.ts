// Reading requests and writing answers: every error leaves as JSON `{ message, code }` with a
// status (docs/api.md lists the codes).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ControlError, httpStatusOf } from '../../src-shared/errors'

export const MAX_BODY_BYTES = 64 * 1024

/** the code an error answer of this status carries when the thrower names none */
export function errorCodeOf(status: number): string {
  switch (status) {
    case 400: return 'invalid'
    case 401: return 'unauthorized'
    case 403: return 'forbidden'
    case 404: return 'not-found'
    case 405: return 'method-not-allowed'
    case 408: return 'timeout'
    case 409: return 'conflict'
    case 413: return 'too-large'
    case 415: return 'unsupported-media-type'
    case 431: return 'too-large'
    case 503: return 'unavailable'
    case 504: return 'timeout'
    default: return status >= 500 ? 'internal' : 'invalid'
  }
}

export class ApiError extends Error {
  readonly code: string

  constructor(
    readonly status: number,
    message: string,
    code?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.code = code ?? errorCodeOf(status)
  }
}

/** Headers every answer carries; never an Access-Control-Allow-Origin. */
export const BASE_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const text = JSON.stringify(body, null, 2) + '\n'
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) {
    sendJson(res, err.status, { message: err.message, code: err.code }, err.headers)
    return
  }
  if (err instanceof ControlError) {
    sendJson(res, httpStatusOf(err.code), { message: err.message, code: err.code })
    return
  }
  sendJson(res, 500, { message: err instanceof Error ? err.message : String(err), code: 'internal' })
}

/** The JSON body of a POST, bounded: 413 past `limit` bytes, 400 when it is not JSON. Empty means {}. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    // the client may still be sending; do not read what we refuse
    req.resume()
    throw new ApiError(413, `request body too large: ${declared} bytes, at most ${limit}`)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      req.resume()
      throw new ApiError(413, `request body too large: more than ${limit} bytes`)
    }
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new ApiError(400, `request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** A non-negative integer query parameter, or undefined; 400 naming the parameter otherwise. */
export function intParam(params: URLSearchParams, name: string, max: number): number | undefined {
  const raw = params.get(name)
  if (raw === null || raw === '') return undefined
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `?${name}= must be a non-negative integer, got '${raw}'`)
  const value = Number(raw)
  if (value > max) throw new ApiError(400, `?${name}= must be at most ${max}, got ${raw}`)
  return value
}

export function boolParam(params: URLSearchParams, name: string): boolean {
  const raw = params.get(name)
  if (raw === null) return false
  if (raw === '' || raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ApiError(400, `?${name}= must be true or false, got '${raw}'`)
}
