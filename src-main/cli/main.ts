// The `micronetes` command line.
import { commandName, helpText, readCommandLine } from './command-line'
import { program } from './commands'

/** package.json's version, put in by the CLI build (scripts/build-cli.mjs) */
declare const MICRONETES_VERSION: string

const line = readCommandLine(program, process.argv.slice(2))
switch (line.kind) {
  case 'version':
    process.stdout.write(`${MICRONETES_VERSION}\n`)
    break
  case 'help':
    // asked for, it is the answer (stdout); shown because a command is missing, a usage error
    if (line.asked) process.stdout.write(helpText(line.path, process.stdout.columns))
    else process.stderr.write(helpText(line.path, process.stderr.columns))
    process.exitCode = line.asked ? 0 : 1
    break
  case 'error':
    process.stderr.write(`${commandName(line.path)}: ${line.message}\n\n${helpText(line.path, process.stderr.columns)}`)
    process.exitCode = 1
    break
  case 'run':
    // a CommonJS bundle has no top-level await (scripts/build-cli.mjs)
    void line
      .load()
      .then((action) => action(line.parsed))
      .then((code) => {
        process.exitCode = code
      })
}
