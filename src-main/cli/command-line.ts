// The command line's grammar: a table of commands (name, aliases, arguments, options, the
// module that runs it) and its reading into what to do. Node's parseArgs reads the words of one
// command; the table adds what it lacks: commands within commands, help, defaults, `--no-x`
// negations (Node 20's parseArgs has none), variadic arguments and suggestions for typos.
import { parseArgs } from 'node:util'
import { closestName } from '../core/config/did-you-mean'

export interface OptionSpec {
  /** without the dashes; `no-x` is a negation: its value is `x`, true unless it is given */
  readonly long: string
  /** one letter, without the dash */
  readonly short?: string
  /** the name of the value it takes, as the help shows it (`--port <port>`); none for a flag */
  readonly value?: string
  readonly description: string
}

export interface ArgumentSpec {
  readonly name: string
  readonly description: string
  readonly default?: string
  /** takes every remaining word (only the last argument) */
  readonly variadic?: boolean
}

/**
 * What a command's words were read as. Each accessor takes a name the command declares and
 * throws on any other (a slip between the table and the command's module, not a user's error).
 */
export interface ParsedCommand {
  /** an argument's word, or its default (undefined when neither) */
  argument(name: string): string | undefined
  /** the words of a variadic argument */
  list(name: string): string[]
  /** an option's value, undefined when not given */
  value(long: string): string | undefined
  /** whether a flag was given; for a negation `--no-x`, flag('x') is true unless it was */
  flag(long: string): boolean
}

/** runs a command; resolves to its exit code */
export type CommandAction = (parsed: ParsedCommand) => Promise<number>

export interface CommandSpec {
  readonly name: string
  readonly aliases?: readonly string[]
  readonly description: string
  readonly arguments?: readonly ArgumentSpec[]
  readonly options?: readonly OptionSpec[]
  /** its own commands (`generate k8s`); a command that has them has no action */
  readonly commands?: readonly CommandSpec[]
  /** imports the module that runs it, only when it runs: listing the commands imports none */
  readonly load?: () => Promise<CommandAction>
}

/**
 * What the command line asks for. `path` runs from the program to the command it concerns.
 * Help asked for goes to stdout; a command that needs one of its commands and got none shows
 * its help on stderr and fails, as a usage error does.
 */
export type CommandLine =
  | { kind: 'run'; path: readonly CommandSpec[]; parsed: ParsedCommand; load: () => Promise<CommandAction> }
  | { kind: 'help'; path: readonly CommandSpec[]; asked: boolean }
  | { kind: 'version' }
  | { kind: 'error'; path: readonly CommandSpec[]; message: string }

const HELP: OptionSpec = { long: 'help', short: 'h', description: 'display help for command' }
const VERSION: OptionSpec = { long: 'version', short: 'V', description: 'output the version number' }
const HELP_COMMAND = 'help'

export function readCommandLine(program: CommandSpec, words: readonly string[]): CommandLine {
  const path: CommandSpec[] = [program]
  let rest = words
  for (;;) {
    const command = path[path.length - 1]!
    if (!command.commands) return readCommand(path, rest)
    // before the command's name only help and version are known (the version is the program's
    // option, understood at every level)
    let at = 0
    for (; at < rest.length; at++) {
      const word = rest[at]!
      if (word === '--') {
        at++
        break
      }
      if (!isOption(word)) break
      if (word === '-h' || word === '--help') return { kind: 'help', path, asked: true }
      if (word === '-V' || word === '--version') return { kind: 'version' }
      return unknownOption(path, word, [HELP, ...(path.length === 1 ? [VERSION] : [])])
    }
    const name = rest[at]
    if (name === undefined) return { kind: 'help', path, asked: false }
    if (name === HELP_COMMAND) return helpFor(path, rest.slice(at + 1))
    const next = findCommand(command, name)
    if (!next) return unknownCommand(path, name)
    path.push(next)
    rest = rest.slice(at + 1)
  }
}

/** `help [command...]`: the help of the command named after it */
function helpFor(path: CommandSpec[], names: readonly string[]): CommandLine {
  for (const name of names) {
    const command = path[path.length - 1]!
    if (!command.commands || isOption(name)) break
    // `help help`: the help of where it was asked
    if (name === HELP_COMMAND) continue
    const next = findCommand(command, name)
    if (!next) return unknownCommand(path, name)
    path.push(next)
  }
  return { kind: 'help', path, asked: true }
}

function readCommand(path: readonly CommandSpec[], words: readonly string[]): CommandLine {
  const command = path[path.length - 1]!
  const specs = [...(command.options ?? []), HELP, VERSION]
  const config = Object.fromEntries(specs.map((o) => [o.long, { type: o.value === undefined ? ('boolean' as const) : ('string' as const), ...(o.short ? { short: o.short } : {}) }]))
  // not strict: an unknown option or a missing value is reported here, in our words
  const { tokens } = parseArgs({ args: [...words], options: config, allowPositionals: true, strict: false, tokens: true })
  // help or version anywhere wins over every mistake, as with most tools
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    if (token.name === HELP.long) return { kind: 'help', path, asked: true }
    if (token.name === VERSION.long) return { kind: 'version' }
  }
  const options = new Map<string, string | boolean | undefined>()
  for (const spec of command.options ?? []) {
    const { key, negated } = optionKey(spec)
    // a flag is false unless given, a negation true; an option with a value has none
    options.set(key, spec.value === undefined ? negated : undefined)
  }
  const positionals: string[] = []
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value)
    if (token.kind !== 'option') continue
    const spec = specs.find((o) => o.long === token.name)
    if (!spec) return unknownOption(path, token.rawName, specs)
    const { key, negated } = optionKey(spec)
    if (spec.value === undefined) {
      if (token.inlineValue) return { kind: 'error', path, message: `option '${token.rawName}' takes no value (it was given '${token.value}')` }
      options.set(key, !negated)
    } else {
      if (token.value === undefined) return { kind: 'error', path, message: `option '${token.rawName}' needs a value: ${optionTerm(spec)}` }
      options.set(key, token.value)
    }
  }
  const args = new Map<string, string | string[] | undefined>()
  const declared = command.arguments ?? []
  for (const [i, spec] of declared.entries()) args.set(spec.name, spec.variadic ? positionals.slice(i) : (positionals[i] ?? spec.default))
  const takes = declared.at(-1)?.variadic ? Infinity : declared.length
  if (positionals.length > takes) {
    const extra = positionals.slice(takes).map((p) => `'${p}'`).join(' ')
    const expected = declared.length === 0 ? 'it takes none' : `it takes ${declared.map(argumentTerm).join(' ')}`
    return { kind: 'error', path, message: `too many arguments: ${extra} (${expected})` }
  }
  if (!command.load) throw new Error(`the command ${commandName(path)} has neither commands of its own nor an action`)
  return { kind: 'run', path, parsed: parsedCommand(commandName(path), args, options), load: command.load }
}

function parsedCommand(name: string, args: Map<string, string | string[] | undefined>, options: Map<string, string | boolean | undefined>): ParsedCommand {
  const read = <T>(from: Map<string, unknown>, key: string, what: string, is: (v: unknown) => v is T): T => {
    const value = from.get(key)
    if (!from.has(key) || !is(value)) throw new Error(`${name} declares no ${what} '${key}'`)
    return value
  }
  const isText = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string'
  return {
    argument: (key) => read(args, key, 'argument', isText),
    list: (key) => read(args, key, 'variadic argument', (v): v is string[] => Array.isArray(v)),
    value: (key) => read(options, key, 'option with a value', isText),
    flag: (key) => read(options, key, 'flag', (v): v is boolean => typeof v === 'boolean'),
  }
}

function findCommand(parent: CommandSpec, name: string): CommandSpec | undefined {
  return parent.commands?.find((c) => c.name === name || c.aliases?.includes(name))
}

function unknownCommand(path: readonly CommandSpec[], name: string): CommandLine {
  const names = (path[path.length - 1]!.commands ?? []).flatMap((c) => [c.name, ...(c.aliases ?? [])])
  const near = closestName(name, names)
  return { kind: 'error', path, message: `unknown command '${name}'${near ? ` (did you mean ${near}?)` : ''}` }
}

function unknownOption(path: readonly CommandSpec[], word: string, known: readonly OptionSpec[]): CommandLine {
  const name = word.replace(/^--?/, '').split('=')[0]!
  const near = word.startsWith('--') ? closestName(name, known.map((o) => o.long)) : undefined
  return { kind: 'error', path, message: `unknown option '${word}'${near ? ` (did you mean --${near}?)` : ''}` }
}

/** an option, not an argument: `-` alone (stdin, by convention) and `--` are neither */
function isOption(word: string): boolean {
  return word.startsWith('-') && word !== '-'
}

function optionKey(spec: OptionSpec): { key: string; negated: boolean } {
  const negated = spec.value === undefined && spec.long.startsWith('no-')
  const name = negated ? spec.long.slice(3) : spec.long
  return { key: name, negated }
}

/** `-o, --output <path>` */
function optionTerm(spec: OptionSpec): string {
  return `${spec.short ? `-${spec.short}, ` : ''}--${spec.long}${spec.value ? ` <${spec.value}>` : ''}`
}

/** `[file]`, `[services...]` */
function argumentTerm(spec: ArgumentSpec): string {
  return `[${spec.name}${spec.variadic ? '...' : ''}]`
}

/** `micronetes generate k8s`: the words that name the command, as messages start */
export function commandName(path: readonly CommandSpec[]): string {
  return path.map((c) => c.name).join(' ')
}

/**
 * The help of the last command of `path`: usage, description, arguments, options and
 * commands, descriptions wrapped to `columns` when that leaves them 40 columns or more.
 */
export function helpText(path: readonly CommandSpec[], columns = 80): string {
  const command = path[path.length - 1]!
  const words = [...path.slice(0, -1).map((c) => c.name), [command.name, ...(command.aliases ?? [])].join('|')].join(' ')
  const options = [...(path.length === 1 ? [VERSION] : []), ...(command.options ?? []), HELP]
  const usage = command.commands ? '[options] [command]' : ['[options]', ...(command.arguments ?? []).map(argumentTerm)].join(' ')
  const sections: [string, [string, string][]][] = [
    ['Arguments', (command.arguments ?? []).map((a) => [a.name, a.default === undefined ? a.description : `${a.description} (default: ${JSON.stringify(a.default)})`])],
    ['Options', options.map((o) => [optionTerm(o), o.description])],
    [
      'Commands',
      command.commands
        ? [...command.commands.map((c): [string, string] => [commandTerm(c), c.description]), [`${HELP_COMMAND} [command]`, HELP.description]]
        : [],
    ],
  ]
  const listed = sections.filter(([, rows]) => rows.length > 0)
  const termWidth = Math.max(...listed.flatMap(([, rows]) => rows.map(([term]) => term.length)))
  const descriptionWidth = columns - termWidth - 4
  const wrapAt = descriptionWidth >= 40 ? descriptionWidth : Infinity
  const row = ([term, description]: [string, string]): string =>
    wrap(description, wrapAt)
      .map((line, i) => `  ${(i === 0 ? term : '').padEnd(termWidth)}  ${line}`.trimEnd())
      .join('\n')
  const parts = [`Usage: ${words} ${usage}`, wrap(command.description, columns).join('\n'), ...listed.map(([title, rows]) => `${title}:\n${rows.map(row).join('\n')}`)]
  return parts.join('\n\n') + '\n'
}

/** `run [options] [app.yaml] [services...]`: a command as its parent's help lists it */
function commandTerm(command: CommandSpec): string {
  const name = [command.name, ...(command.aliases ?? [])].join('|')
  if (command.commands) return name
  return [name, ...(command.options?.length ? ['[options]'] : []), ...(command.arguments ?? []).map(argumentTerm)].join(' ')
}

/** words into lines of at most `width` characters (a longer word gets a line of its own) */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line]
}
