// The one dispatcher both transports use: validate, call, and return errors as data.
import { contract, type CommandName, type ContractHandlers, type ContractResults } from './contract'
import { ControlError, type ErrorData } from './errors'

export type DispatchResult<C extends CommandName> = { result: ContractResults[C] } | ErrorData

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

export async function dispatch<C extends CommandName>(
  handlers: ContractHandlers,
  name: C,
  input: unknown,
): Promise<DispatchResult<C>> {
  const parsed = contract[name].input.safeParse(input ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    return { error: { code: 'invalid', message: `${name}: ${where}${issue?.message ?? 'invalid input'}` } }
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<ContractResults[C]> | ContractResults[C]
    return { result: await handler(parsed.data) }
  } catch (err) {
    if (err instanceof ControlError) return { error: { code: err.code, message: err.message } }
    return { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }
  }
}
