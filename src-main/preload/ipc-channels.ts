// The IPC channel names shared by the preload and the main process. The preload gets the
// command names from here rather than from the contract so it does not bundle zod.
import type { CommandName } from '../../src-shared/contract'

export const commandNames = [
  'session',
  'services',
  'logs',
  'scale',
  'restartService',
  'restartReplica',
  'stopService',
  'startService',
  'openApplication',
  'reloadApplication',
  'closeApplication',
] as const satisfies readonly CommandName[]

// A command added to the contract and forgotten here fails the typecheck.
type Missing = Exclude<CommandName, (typeof commandNames)[number]>
const everyCommandListed: [Missing] extends [never] ? true : Missing = true
void everyCommandListed

const COMMAND_PREFIX = 'micronetes:command:'

export function commandChannel(name: CommandName): string {
  return `${COMMAND_PREFIX}${name}`
}

/** main -> window: every DeliveredEvent, on one channel */
export const EVENT_CHANNEL = 'micronetes:event'
