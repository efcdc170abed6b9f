// The `micronetes` command line.
import { Command } from 'commander'
import { registerValidateCommand } from './validate-command'
import { registerRunCommand } from './run-command'
import { registerGenerateCommand } from './generate-command'

const program = new Command()
  .name('micronetes')
  .description('Run a whole multi-service application on one machine from one app.yaml')
  .version('0.1.0')
  .showHelpAfterError()

registerValidateCommand(program)
registerRunCommand(program)
registerGenerateCommand(program)

await program.parseAsync(process.argv)
