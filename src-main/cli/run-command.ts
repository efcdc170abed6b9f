import type { Command } from 'commander'

export function registerRunCommand(program: Command): void {
  program.command('run').description('not built yet').action(() => {
    throw new Error('micronetes run: not built yet')
  })
}
