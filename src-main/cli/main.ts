// The `micronetes` command line.
import { config as zodConfig } from 'zod'
zodConfig({ jitless: true })
import { Command } from 'commander'

type Register = (program: Command) => void

// Each command is loaded only when it runs (the CLI bundle splits them into chunks): validate
// must not pay for the orchestrator, the API server and dockerode that run brings.
const commands: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./validate-command')).registerValidateCommand,
  run: async () => (await import('./run-command')).registerRunCommand,
  generate: async () => (await import('./generate-command')).registerGenerateCommand,
}

const program = new Command()
  .name('micronetes')
  .description('Run a whole multi-service application on one machine from one app.yaml')
  .version('0.1.0')
  .showHelpAfterError()

// the program has no options of its own but --help and --version, so the first word that is not
// an option names the command; without one (help, a typo) every command is registered
const named = process.argv.slice(2).find((arg) => !arg.startsWith('-'))
const known = named !== undefined && named in commands
for (const [name, load] of Object.entries(commands)) if (!known || name === named) (await load())(program)

await program.parseAsync(process.argv)
