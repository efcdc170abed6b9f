// Errors that cross the contract. Handlers return them as data ({ error }); the transports
// turn them back into thrown ControlErrors, and the HTTP API into status codes.
export type ControlErrorCode = 'not-found' | 'invalid' | 'conflict' | 'unavailable' | 'internal'

export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ControlError'
  }
}

export interface ErrorData {
  error: { code: ControlErrorCode; message: string }
}

export function httpStatusOf(code: ControlErrorCode): number {
  switch (code) {
    case 'not-found': return 404
    case 'invalid': return 400
    case 'conflict': return 409
    case 'unavailable': return 503
    default: return 500
  }
}
