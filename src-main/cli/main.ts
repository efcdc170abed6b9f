// The `micronetes` command line.
import { Command } from 'commander'

// Each command's module loads only when that command is the one asked for (the build splits
// them into chunks): `generate` and `validate` then start without the orchestrator, the API
// server and the Docker client that `run` needs. Help and unknown commands load them all.
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  validate: async () => (await import('./validate-command')).registerValidateCommand,
  run: async () => (await import('./run-command')).registerRunCommand,
  generate: async () => (await import('./generate-command')).registerGenerateCommand,
}

const program = new Command()
  .name('micronetes')
  .description('Run a whole multi-service application on one machine from one app.yaml')
  .version('0.1.0')
  .showHelpAfterError()

const asked = process.argv[2]
const names = asked !== undefined && Object.hasOwn(COMMANDS, asked) ? [asked] : Object.keys(COMMANDS)
for (const name of names) (await COMMANDS[name]!())(program)

await program.parseAsync(process.argv)
