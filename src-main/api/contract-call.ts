// The HTTP side of the one dispatcher: a contract call whose error data becomes an ApiError
// with the status httpStatusOf gives, and which never holds a request forever.
import type { CommandName, ContractResults } from '../../src-shared/contract'
import { dispatch } from '../../src-shared/dispatch'
import { httpStatusOf } from '../../src-shared/errors'
import type { SessionHost } from '../core/session-host'
import { ApiError } from './http-io'

/** long enough for a graceful stop of a whole service, short enough that no client hangs */
export const CALL_TIMEOUT_MS = 60_000

export async function callContract<C extends CommandName>(
  session: SessionHost,
  name: C,
  input: unknown,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<ContractResults[C]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError(504, `${name}: no answer from the application within ${timeoutMs / 1000} s`, 'timeout')), timeoutMs)
    timer.unref()
  })
  try {
    const outcome = await Promise.race([dispatch(session.handlers, name, input), timeout])
    if ('error' in outcome) throw new ApiError(httpStatusOf(outcome.error.code), outcome.error.message, outcome.error.code)
    return outcome.result
  } finally {
    clearTimeout(timer)
  }
}
