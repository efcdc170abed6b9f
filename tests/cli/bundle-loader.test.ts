// The loader that runs the CLI's bundle with V8's code cache (src-main/cli/bundle-loader.ts), as
// bin/micronetes.cjs uses it: its built file, run in fresh Node processes, on small bundles of
// the test's own and on the real CLI.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cacheFileName, cacheFolder } from '../../src-main/cli/bundle-loader'
import { cli } from './cli-runs'

const loader = join(import.meta.dirname, '..', '..', 'out', 'cli', 'bundle-loader.cjs')
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'micronetes-bundle-loader-'))
  folders.push(made)
  return made
}

interface Ran {
  code: number
  stdout: string
  stderr: string
}

function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
    })
  })
}

/** runs `bundle` through the built loader with its cache in `cache`; the bundle's output, then the loader's verdict */
function load(bundle: string, cache: string): Promise<Ran> {
  const script = `const run = require(${JSON.stringify(loader)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}); console.log('cache:' + run.cache)`
  return node(['-e', script])
}

/** a CommonJS bundle that uses what Node gives a module, and a module beside it */
function writeBundle(dir: string, greeting: string): string {
  writeFileSync(join(dir, 'beside.cjs'), 'module.exports = "beside"\n')
  const bundle = join(dir, 'bundle.cjs')
  writeFileSync(bundle, `const path = require('node:path')\nconsole.log(${JSON.stringify(greeting)}, require('./beside.cjs'), path.basename(__filename), __dirname === ${JSON.stringify(dir)}, typeof module.exports, this === module.exports)\n`)
  return bundle
}

describe('the bundle loader', () => {
  it('runs a bundle as Node runs a CommonJS module, and compiles it from its cache from the second run on', async () => {
    const dir = folder()
    const cache = join(dir, 'cache')
    const bundle = writeBundle(dir, 'hello')
    const first = await load(bundle, cache)
    expect(first).toEqual({ code: 0, stdout: 'hello beside bundle.cjs true object true\ncache:written\n', stderr: '' })
    expect(readdirSync(cache)).toHaveLength(1)
    const second = await load(bundle, cache)
    expect(second.stdout).toBe('hello beside bundle.cjs true object true\ncache:used\n')
  })

  it('gives a rebuilt bundle a cache of its own and removes the old one', async () => {
    const dir = folder()
    const cache = join(dir, 'cache')
    const bundle = writeBundle(dir, 'one')
    await load(bundle, cache)
    const [before] = readdirSync(cache)
    writeBundle(dir, 'two, longer')
    // a build a second later
    utimesSync(bundle, new Date(), new Date(Date.now() + 1000))
    const rebuilt = await load(bundle, cache)
    expect(rebuilt.stdout).toBe('two, longer beside bundle.cjs true object true\ncache:written\n')
    expect(readdirSync(cache)).toHaveLength(1)
    expect(readdirSync(cache)[0]).not.toBe(before)
    expect((await load(bundle, cache)).stdout).toContain('cache:used')
  })

  it('compiles afresh over a cache V8 rejects, and writes a good one', async () => {
    const dir = folder()
    const cache = join(dir, 'cache')
    const bundle = writeBundle(dir, 'hi')
    await load(bundle, cache)
    const [name] = readdirSync(cache)
    writeFileSync(join(cache, name as string), 'not a code cache')
    const over = await load(bundle, cache)
    expect(over.stdout).toBe('hi beside bundle.cjs true object true\ncache:written\n')
    expect((await load(bundle, cache)).stdout).toContain('cache:used')
  })

  it('runs uncached, saying nothing, where the cache cannot be written', async () => {
    const dir = folder()
    // a file where the folder should be
    const cache = join(dir, 'cache')
    writeFileSync(cache, '')
    const bundle = writeBundle(dir, 'still')
    expect(await load(bundle, cache)).toEqual({ code: 0, stdout: 'still beside bundle.cjs true object true\ncache:written\n', stderr: '' })
    expect(await load(bundle, cache)).toEqual({ code: 0, stdout: 'still beside bundle.cjs true object true\ncache:written\n', stderr: '' })
  })

  it('keeps the cache in the user\'s cache folder, in one of its own only the user can enter', async () => {
    expect(cacheFolder({ MICRONETES_COMPILE_CACHE: '/x/y' }, 'linux')).toBe('/x/y')
    expect(cacheFolder({ XDG_CACHE_HOME: '/home/u/.xdg' }, 'linux')).toBe('/home/u/.xdg/micronetes/compile-cache')
    expect(cacheFolder({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toMatch(/AppData.Local.micronetes.compile-cache$/)
    expect(cacheFolder({}, 'linux')).toMatch(/\.cache\/micronetes\/compile-cache$/)
    expect(cacheFileName('/a/micronetes.cjs', 12, 34.4)).toBe(`micronetes.cjs-12-34-${process.version}-${process.arch}.v8cache`)
    const cache = join(folder(), 'deep', 'cache')
    const bundle = writeBundle(folder(), 'mode')
    await load(bundle, cache)
    const { statSync } = await import('node:fs')
    expect(statSync(cache).mode & 0o777).toBe(0o700)
  })

  it('leaves micronetes run uncached: it stays up, and a vm.Script would keep megabytes more resident all along', async () => {
    const dir = folder()
    const cache = join(dir, 'cache')
    const bundle = writeBundle(dir, 'long-lived')
    const script = `const run = require(${JSON.stringify(loader)}).startCli(${JSON.stringify(bundle)}, ['run', 'app.yaml']); console.log('cache:' + run.cache)`
    expect((await node(['-e', script], { MICRONETES_COMPILE_CACHE: cache })).stdout).toBe('long-lived beside bundle.cjs true object true\ncache:none\n')
    expect(existsSync(cache)).toBe(false)
    const short = `const run = require(${JSON.stringify(loader)}).startCli(${JSON.stringify(bundle)}, ['validate']); console.log('cache:' + run.cache)`
    expect((await node(['-e', short], { MICRONETES_COMPILE_CACHE: cache })).stdout).toContain('cache:written')
    expect(readdirSync(cache)).toHaveLength(1)
  })

  it('serves the real CLI: micronetes validate answers the same with its cache written and used', async () => {
    const cache = join(folder(), 'cache')
    const first = await node([cli, 'validate', 'examples/app.yaml'], { MICRONETES_COMPILE_CACHE: cache })
    expect(first.code).toBe(0)
    expect(existsSync(cache) && readdirSync(cache).some((name) => name.startsWith('micronetes.cjs-'))).toBe(true)
    const second = await node([cli, 'validate', 'examples/app.yaml'], { MICRONETES_COMPILE_CACHE: cache })
    expect(second).toEqual(first)
    expect(first.stdout).toBe('examples/app.yaml: 2 services, 5 replicas, port 5005\n')
  })
})
