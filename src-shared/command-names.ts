// The contract's command names and limits without its schemas: the preload and the renderer
// need the names, and importing contract.ts would bundle zod into them.
export const COMMAND_NAMES = [
  'session',
  'services',
  'logs',
  'replica',
  'resources',
  'scale',
  'restartService',
  'restartReplica',
  'stopService',
  'startService',
  'openApplication',
  'reloadApplication',
  'closeApplication',
] as const

export type CommandName = (typeof COMMAND_NAMES)[number]

export const MAX_REPLICAS = 100
export const MAX_LOG_TAIL = 100_000
