import type { Command } from 'commander'

export function registerValidateCommand(program: Command): void {
  program.command('validate').description('not built yet').action(() => {
    throw new Error('micronetes validate: not built yet')
  })
}
