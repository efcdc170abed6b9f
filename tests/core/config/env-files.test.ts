import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadApplication } from '../../../src-main/core/config/load-application'
import { parseDotenv } from '../../../src-main/core/config/dotenv'
import type { Application } from '../../../src-shared/app-model'
import { formatProblem } from '../../../src-shared/problems'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mn-env-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function write(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return join(dir, 'app.yaml')
}

async function load(files: Record<string, string>, environment: Record<string, string> = {}): Promise<Application> {
  const result = await loadApplication(write(files), { environment })
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.application
}

async function problems(files: Record<string, string>, environment: Record<string, string> = {}): Promise<string[]> {
  const result = await loadApplication(write(files), { environment })
  if (result.ok) throw new Error('expected problems')
  return result.problems.map((p) => formatProblem(p).replaceAll(dir, '<dir>'))
}

describe('dotenv files', () => {
  it('reads comments, export, quotes, escapes and values that go over lines', () => {
    const parsed = parseDotenv([
      '# a comment',
      '',
      'PLAIN=some value # trailing comment',
      'export EXPORTED=yes',
      "SINGLE='no $escape \\n here'",
      'DOUBLE="tab\\tand \\"quote\\""',
      'MULTI="first',
      'second"',
      'EMPTY=',
      'HASH=a#b',
      'PLAIN=again',
    ].join('\n'))
    expect(parsed.problems).toEqual([])
    expect(Object.fromEntries(parsed.vars.map((v) => [v.name, v.value]))).toEqual({
      PLAIN: 'again',
      EXPORTED: 'yes',
      SINGLE: 'no $escape \\n here',
      DOUBLE: 'tab\tand "quote"',
      MULTI: 'first\nsecond',
      EMPTY: '',
      HASH: 'a#b',
    })
  })

  it('reports each line it cannot read, with its line and column', () => {
    expect(parseDotenv('OK=1\nno equals sign\n  1BAD=x\nQ="open\n').problems).toEqual([
      { line: 2, col: 1, message: 'expected KEY=value, found "no equals sign"' },
      { line: 3, col: 3, message: '"1BAD" is not a valid environment variable name (letters, digits and "_", not starting with a digit)' },
      { line: 4, col: 3, message: 'the value of Q opens a double quote that is never closed' },
    ])
  })
})

describe('envFile', () => {
  const yaml = (envFile: string) => `- name: web\n  executable: node\n  envFile: ${envFile}\n  env:\n    MODE: from-env\n`

  it('reads the files into env in order: a later file wins, env wins over them all', async () => {
    const app = await load({
      'app.yaml': yaml('[base.env, local.env]'),
      'base.env': 'A=base\nB=base\nMODE=file\n',
      'local.env': 'B=local\nC=local\n',
    })
    const web = app.services[0]!
    expect(web.envFiles).toEqual([join(dir, 'base.env'), join(dir, 'local.env')])
    expect(web.env).toEqual([
      { name: 'A', value: 'base' },
      { name: 'B', value: 'local' },
      { name: 'C', value: 'local' },
      { name: 'MODE', value: 'from-env' },
    ])
  })

  it('takes one path as well as a list', async () => {
    const app = await load({ 'app.yaml': yaml('one.env'), 'one.env': 'X=1\n' })
    expect(app.services[0]!.env).toEqual([{ name: 'X', value: '1' }, { name: 'MODE', value: 'from-env' }])
  })

  it('says where app.yaml names a missing file, and each bad line of a file at its own line', async () => {
    expect(await problems({ 'app.yaml': yaml('[ok.env, missing.env]'), 'ok.env': 'A=1\n' })).toEqual([
      `<dir>/app.yaml:3:21: service "web": env file "missing.env": no such file (looked for <dir>/missing.env)`,
    ])
    expect(await problems({ 'app.yaml': yaml('bad.env'), 'bad.env': 'A=1\n\noops\n' })).toEqual([`<dir>/bad.env:3:1: expected KEY=value, found "oops"`])
  })
})

describe('${VAR} in app.yaml', () => {
  it('fills values from the environment, then .env beside app.yaml, with defaults, and types unquoted numbers', async () => {
    const app = await load(
      {
        'app.yaml': [
          '- name: web',
          '  executable: ${TOOL}',
          '  args: --port ${WEB_PORT:-4000} --mode "${MODE}" --cost $$5',
          '  replicas: ${REPLICAS}',
          '  env:',
          '    GREETING: ${GREETING:-hello ${WHO:-world}}',
          '    EMPTY_DEFAULT: ${BLANK:-fallback}',
          '    DASH_DEFAULT: ${BLANK-fallback}',
          '  bindings:',
          '    - port: ${PORT_FROM_DOTENV}',
          '      connectionString: http://${host}:${port}/${MODE}',
        ].join('\n'),
        '.env': 'TOOL=from-dotenv\nMODE=dotenv\nREPLICAS=3\nPORT_FROM_DOTENV=7010\n',
      },
      { TOOL: 'node', BLANK: '' },
    )
    const web = app.services[0]!
    expect(web.executable).toBe('node')
    expect(web.args).toEqual(['--port', '4000', '--mode', 'dotenv', '--cost', '$5'])
    expect(web.replicas).toBe(3)
    expect(web.env).toEqual([
      { name: 'GREETING', value: 'hello world' },
      { name: 'EMPTY_DEFAULT', value: 'fallback' },
      { name: 'DASH_DEFAULT', value: '' },
    ])
    expect(web.bindings[0]).toMatchObject({ port: 7010, connectionString: 'http://${host}:${port}/dotenv' })
  })

  it('names an unset variable at its line and column, and a malformed .env at its own line', async () => {
    expect(
      await problems({ 'app.yaml': '- name: web\n  executable: node\n  args: --token ${API_TOKEN} ${OK:-1}\n  env:\n    X: ${NEEDED:?ask the team}\n' }),
    ).toEqual([
      '<dir>/app.yaml:3:17: service "web": variable API_TOKEN is not set: set it in the environment or in .env beside app.yaml, or give a default with ${API_TOKEN:-default}',
      '<dir>/app.yaml:5:8: service "web": variable NEEDED is not set: ask the team',
    ])
    expect(await problems({ 'app.yaml': '- name: web\n  executable: node\n  args: ${bad name}\n', '.env': 'A=1\n"B"=2\n' })).toEqual([
      '<dir>/app.yaml:3:9: service "web": "${bad name}": expected "}", ":-", "-", ":?" or "?" after bad',
      '<dir>/.env:2:1: ""B"" is not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    ])
  })
})

describe('build and watch', () => {
  it('splits the build command and fills the watch defaults, paths from app.yaml', async () => {
    const app = await load({
      'app.yaml': [
        '- name: web',
        '  executable: node',
        '  build: npm run build -- --mode "dev server"',
        '  watch: src',
        '- name: api',
        '  executable: node',
        '  watch: { paths: ["lib/**/*.js", package.json], ignore: ["**/*.tmp"], debounce: 50ms, cascade: true }',
      ].join('\n'),
    })
    const [web, api] = app.services
    expect(web!.build).toEqual(['npm', 'run', 'build', '--', '--mode', 'dev server'])
    expect(web!.watch).toEqual({ paths: [join(dir, 'src')], ignore: [], debounceMs: 300, action: 'rebuild', cascade: false })
    expect(api!.build).toBeUndefined()
    expect(api!.watch).toEqual({ paths: [join(dir, 'lib/**/*.js'), join(dir, 'package.json')], ignore: ['**/*.tmp'], debounceMs: 50, action: 'restart', cascade: true })
  })

  it('refuses a rebuild without a build command', async () => {
    expect(await problems({ 'app.yaml': '- name: web\n  executable: node\n  watch: { paths: src, action: rebuild }\n' })).toEqual([
      '<dir>/app.yaml:3:32: service "web": watch action "rebuild" needs a "build" command',
    ])
  })

  it('says what a wrong envFile, build or watch must be, with "did you mean" inside a watch', async () => {
    expect(
      await problems({
        'app.yaml': '- name: web\n  executable: node\n  watch: { pathz: src }\n  envFile: 3\n- name: w2\n  executable: node\n  watch: 3\n  build: [1]\n- name: w3\n  executable: node\n  watch: { paths: a, action: go }\n',
      }),
    ).toEqual([
      '<dir>/app.yaml:3:10: service "web": "paths" is required',
      '<dir>/app.yaml:3:12: service "web": unknown field "pathz" (did you mean "paths"?)',
      '<dir>/app.yaml:4:12: service "web": "envFile" must be a path, or a list of paths, not 3',
      '<dir>/app.yaml:7:10: service "w2": "watch" must be a path or glob, a list of them, or { paths, ignore, debounce, action, cascade }, not 3',
      expect.stringMatching(/^<dir>\/app\.yaml:8:11: service "w2": .*build.* must be .*, not 1$/),
      '<dir>/app.yaml:11:30: service "w3": "action" must be restart or rebuild, not "go"',
    ])
  })
})
