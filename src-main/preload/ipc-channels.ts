// The IPC channel names shared by the preload and the main process.
import { COMMAND_NAMES, type CommandName } from '../../src-shared/command-names'

export const commandNames = COMMAND_NAMES

const COMMAND_PREFIX = 'micronetes:command:'

export function commandChannel(name: CommandName): string {
  return `${COMMAND_PREFIX}${name}`
}

/** main -> window: every DeliveredEvent, on one channel */
export const EVENT_CHANNEL = 'micronetes:event'
