// Turning what dockerode throws into sentences a person can act on. dockerode's own messages
// read "(HTTP code 404) no such container - No such image: x "; the engine's reason is the part
// worth showing.

interface EngineFailure {
  statusCode?: number
  code?: string
  name?: string
  message?: string
  json?: { message?: string } | null
}

export function statusOf(error: unknown): number | undefined {
  return (error as EngineFailure | undefined)?.statusCode
}

/** the engine's own words when it answered, else the transport's */
export function engineReason(error: unknown): string {
  const failure = (error ?? {}) as EngineFailure
  const fromJson = failure.json && typeof failure.json === 'object' ? failure.json.message : undefined
  if (fromJson) return fromJson.trim()
  const message = failure.message ?? String(error)
  return message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim()
}

/** the engine never answered: no socket, refused, timed out, unknown host */
export function isUnreachable(error: unknown): boolean {
  const failure = (error ?? {}) as EngineFailure
  if (failure.statusCode !== undefined) return false
  return failure.code !== undefined || failure.name === 'TimeoutError' || failure.name === 'AbortError'
}

export class EngineUnreachableError extends Error {
  constructor(address: string, cause: unknown) {
    super(`Docker engine not reachable at ${address}: ${engineReason(cause)}`, { cause })
    this.name = 'EngineUnreachableError'
  }
}

/**
 * Unreachable-engine errors as such; the engine's refusals with `context` in front; errors
 * that are already sentences (no status, no transport code) as they are.
 */
export function describeEngineError(address: string, context: string, error: unknown): Error {
  if (error instanceof EngineUnreachableError) return error
  if (isUnreachable(error)) return new EngineUnreachableError(address, error)
  if (error instanceof Error && statusOf(error) === undefined) return error
  return new Error(`${context}: ${engineReason(error)}`, { cause: error })
}
