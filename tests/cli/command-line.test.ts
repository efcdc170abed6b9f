// The command line: help, version, mistakes, as a user meets them in the built CLI (a real
// process), and the reading of words into a command (readCommandLine) on its own.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './cli-runs'
import { helpText, readCommandLine, type CommandLine, type CommandSpec, type ParsedCommand } from '../../src-main/cli/command-line'
import { program } from '../../src-main/cli/commands'

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }

/** help text as one line: wrapping and column padding set aside */
const flat = (text: string): string => text.replace(/\s+/g, ' ')

describe('micronetes help and version', () => {
  it('lists every command with its description for --help, -h and help, on stdout', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stderr).toBe('')
    expect(help.stdout).toMatch(/^Usage: micronetes \[options\] \[command\]\n/)
    expect(help.stdout).toMatch(/^ {2}validate \[options\] \[file\] +check an app\.yaml and report every problem/m)
    expect(help.stdout).toMatch(/^ {2}run \[options\] \[app\.yaml\] \[services\.\.\.\] +run an application: its replicas/m)
    expect(help.stdout).toMatch(/^ {2}generate +generate Kubernetes manifests or a Compose file/m)
    expect(help.stdout).toMatch(/^ {2}-V, --version +output the version number$/m)
    expect(await runCli(['-h'])).toEqual(help)
    expect(await runCli(['help'])).toEqual(help)
  })

  it('shows the same list on stderr and fails when no command is named', async () => {
    const help = (await runCli(['--help'])).stdout
    expect(await runCli([])).toEqual({ code: 1, stdout: '', stderr: help })
  })

  it("shows a command's usage, arguments with their defaults and options with their descriptions", async () => {
    const run = await runCli(['run', '--help'])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const text = flat(run.stdout)
    expect(run.stdout).toMatch(/^Usage: micronetes run \[options\] \[app\.yaml\] \[services\.\.\.\]\n/)
    expect(text).toContain('app.yaml the application file, or a folder holding app.yaml (or tye.yaml / tye.yml) (default: ".")')
    expect(text).toContain('services run only these services and, transitively, what they depend on')
    for (const option of ['--port <port> port of the HTTP API', '--no-dashboard serve the HTTP API only', '--token <token> require this token', '--no-reload do not apply changes', '--log-dir <dir> write each replica', '--log-file-size <size> rotate a log file', '-h, --help display help for command']) {
      expect(text).toContain(option)
    }
    // no line wider than a terminal's 80 columns
    expect(run.stdout.split('\n').filter((line) => line.length > 80)).toEqual([])
    expect(await runCli(['run', '-h'])).toEqual(run)
    expect(await runCli(['help', 'run'])).toEqual(run)
  })

  it('shows the help of generate and of its commands, by name or alias', async () => {
    const generate = await runCli(['generate', '--help'])
    expect(generate.code).toBe(0)
    expect(flat(generate.stdout)).toMatch(/k8s\|kubernetes \[options\] \[file\] Kubernetes manifests: .*compose \[options\] \[file\] a Compose file/s)
    // without one of its commands, generate says what it has, as a mistake
    expect(await runCli(['generate'])).toEqual({ code: 1, stdout: '', stderr: generate.stdout })
    const k8s = await runCli(['generate', 'k8s', '--help'])
    expect(k8s.stdout).toMatch(/^Usage: micronetes generate k8s\|kubernetes \[options\] \[file\]\n/)
    expect(k8s.stdout).toMatch(/^ {2}-n, --namespace <name> +put every object in this namespace$/m)
    expect(await runCli(['generate', 'kubernetes', '--help'])).toEqual(k8s)
    expect(await runCli(['help', 'generate', 'kubernetes'])).toEqual(k8s)
    expect(await runCli(['generate', 'help', 'k8s'])).toEqual(k8s)
    const compose = await runCli(['generate', 'compose', '-h'])
    expect(compose.stdout).toMatch(/^ {2}-o, --output <file> +the Compose file to write/m)
    expect(compose.stdout).not.toContain('--namespace')
  })

  it("prints package.json's version for --version and -V, before or after a command", async () => {
    for (const args of [['--version'], ['-V'], ['validate', '-V'], ['generate', 'k8s', '--version']]) {
      expect(await runCli(args)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })
})

describe('micronetes mistakes', () => {
  /** a mistake: its message on the first line of stderr, then the help of the command it concerns */
  async function mistake(args: string[], message: string, helpOf: string[]): Promise<void> {
    const run = await runCli(args)
    const help = (await runCli([...helpOf, '--help'])).stdout
    expect(run).toEqual({ code: 1, stdout: '', stderr: `${message}\n\n${help}` })
  }

  it('names an unknown command and suggests the nearest one', async () => {
    await mistake(['valdate', 'examples/app.yaml'], "micronetes: unknown command 'valdate' (did you mean validate?)", [])
    await mistake(['rn'], "micronetes: unknown command 'rn' (did you mean run?)", [])
    await mistake(['frobnicate'], "micronetes: unknown command 'frobnicate'", [])
    await mistake(['generate', 'kuberntes'], "micronetes generate: unknown command 'kuberntes' (did you mean kubernetes?)", ['generate'])
    await mistake(['help', 'valdate'], "micronetes: unknown command 'valdate' (did you mean validate?)", [])
  })

  it('names an unknown option and suggests the nearest one, negations included', async () => {
    await mistake(['run', '--prot', '8000'], "micronetes run: unknown option '--prot' (did you mean --port?)", ['run'])
    await mistake(['run', '--dashboard'], "micronetes run: unknown option '--dashboard' (did you mean --no-dashboard?)", ['run'])
    await mistake(['validate', '-x'], "micronetes validate: unknown option '-x'", ['validate'])
    await mistake(['generate', 'compose', '-n', 'shop'], "micronetes generate compose: unknown option '-n'", ['generate', 'compose'])
    await mistake(['--bogus', 'validate'], "micronetes: unknown option '--bogus'", [])
  })

  it('names an option given without its value, and a flag given one', async () => {
    await mistake(['run', '--port'], "micronetes run: option '--port' needs a value: --port <port>", ['run'])
    await mistake(['generate', 'k8s', '-o'], "micronetes generate k8s: option '-o' needs a value: -o, --output <path>", ['generate', 'k8s'])
    await mistake(['validate', '--json=1'], "micronetes validate: option '--json' takes no value (it was given '1')", ['validate'])
  })

  it('names the arguments a command does not take', async () => {
    await mistake(['validate', 'examples/app.yaml', 'extra'], "micronetes validate: too many arguments: 'extra' (it takes [file])", ['validate'])
    await mistake(['generate', 'k8s', 'a.yaml', 'b.yaml'], "micronetes generate k8s: too many arguments: 'b.yaml' (it takes [file])", ['generate', 'k8s'])
  })

  it('refuses a port that is not a number before starting anything', async () => {
    expect(await runCli(['run', '--port', 'abc', 'examples/app.yaml'])).toEqual({ code: 1, stdout: '', stderr: 'micronetes run: --port abc: not a port number (0-65535)\n' })
    expect(await runCli(['run', '--port=99999', 'examples/app.yaml'])).toEqual({ code: 1, stdout: '', stderr: 'micronetes run: --port 99999: not a port number (0-65535)\n' })
  })
})

describe('micronetes start-up', () => {
  const builtins = (stderr: string): string[] => /built-in modules loaded: (.*)/.exec(stderr)?.[1]?.split(' ') ?? []
  const report = ['--import', resolve('tests/fixtures/programs/report-builtins.mjs')]

  it('validates without loading child_process (only run starts processes)', async () => {
    const validate = await runCli(['validate', 'examples/app.yaml'], { nodeOptions: report })
    expect(validate.code).toBe(0)
    expect(builtins(validate.stderr)).toContain('fs')
    expect(builtins(validate.stderr)).not.toContain('child_process')
    expect(builtins((await runCli(['--help'], { nodeOptions: report })).stderr)).not.toContain('child_process')
  })
})

describe('readCommandLine', () => {
  const read = (...words: string[]): CommandLine => readCommandLine(program, words)
  const parsed = (line: CommandLine): ParsedCommand => {
    if (line.kind !== 'run') throw new Error(`expected a command to run, got ${JSON.stringify(line)}`)
    return line.parsed
  }
  const named = (line: CommandLine): string => ('path' in line ? line.path.map((c) => c.name).join(' ') : line.kind)

  it('gives each argument its default and a variadic argument the remaining words', () => {
    const bare = parsed(read('run'))
    expect([bare.argument('app.yaml'), bare.list('services')]).toEqual(['.', []])
    const subset = parsed(read('run', 'app.yaml', 'web', 'worker', '--port', '0'))
    expect([subset.argument('app.yaml'), subset.list('services'), subset.value('port')]).toEqual(['app.yaml', ['web', 'worker'], '0'])
    expect(parsed(read('validate')).argument('file')).toBe('.')
  })

  it('reads negations as their positive flag, true unless given', () => {
    const plain = parsed(read('run'))
    expect([plain.flag('dashboard'), plain.flag('reload')]).toEqual([true, true])
    const negated = parsed(read('run', '--no-dashboard', 'app.yaml', '--no-reload'))
    expect([negated.flag('dashboard'), negated.flag('reload'), negated.argument('app.yaml')]).toEqual([false, false, 'app.yaml'])
    expect([parsed(read('validate')).flag('json'), parsed(read('validate', '--json')).flag('json')]).toEqual([false, true])
  })

  it('reads short options, inline values, aliases and the words after --', () => {
    const k8s = parsed(read('generate', 'kubernetes', '-nshop', '--output=out', '--wait-image', 'busybox', '--', '-weird.yaml'))
    expect([k8s.value('namespace'), k8s.value('output'), k8s.value('wait-image'), k8s.value('registry'), k8s.argument('file')]).toEqual(['shop', 'out', 'busybox', undefined, '-weird.yaml'])
    // a value may start with a dash, as `-` (stdout) does
    expect(parsed(read('generate', 'compose', '-o', '-')).value('output')).toBe('-')
    expect(named(read('generate', 'kubernetes'))).toBe('micronetes generate k8s')
  })

  it('lets help and version win over any mistake around them', () => {
    expect(read('validate', '--bogus', '--help')).toMatchObject({ kind: 'help', asked: true })
    expect(named(read('validate', '--bogus', '--help'))).toBe('micronetes validate')
    expect(read('run', 'a', 'b', '-V')).toEqual({ kind: 'version' })
    expect(read('-h', 'validate')).toMatchObject({ kind: 'help', asked: true, path: [program] })
    expect(read('generate')).toMatchObject({ kind: 'help', asked: false })
  })

  it('throws when a command reads a name its declaration lacks', () => {
    const line = parsed(read('validate'))
    expect(() => line.value('port')).toThrow("micronetes validate declares no option with a value 'port'")
    expect(() => line.flag('file')).toThrow("micronetes validate declares no flag 'file'")
  })

  it('wraps descriptions to the columns given when that leaves them room', () => {
    const tiny: CommandSpec = { name: 'tool', description: 'a tool', options: [{ long: 'colour', value: 'when', description: 'one two three four five six seven eight nine ten eleven twelve' }], load: () => Promise.resolve(() => Promise.resolve(0)) }
    const options = (columns: number): string => helpText([tiny], columns).split('Options:\n')[1]!
    // 60 columns leave 41 for the descriptions, past the 15 of the widest option and 4 of spaces
    expect(options(60)).toBe(['  -V, --version    output the version number', '  --colour <when>  one two three four five six seven eight', '                   nine ten eleven twelve', '  -h, --help       display help for command', ''].join('\n'))
    // 40 columns would leave the descriptions less than 40: they stay on one line
    expect(options(40)).toContain('  --colour <when>  one two three four five six seven eight nine ten eleven twelve\n')
  })
})
