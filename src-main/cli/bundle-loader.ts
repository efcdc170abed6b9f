// Runs the CLI's bundle (out/cli/micronetes.cjs) with V8's code cache, so that a command does not
// compile the same JavaScript at every start: `micronetes validate` spent about a fifth of its
// time compiling the bundle and then, lazily, the functions it calls (yaml's parser, zod's
// checks). The first run compiles as usual and, as it exits, saves what V8 compiled by then;
// later runs hand that to V8 and skip most of the work. Node 22 has the same built in
// (module.enableCompileCache); this does it on every Node Micronetes supports, Node 20 included.
//
// The cache lives in the user's cache folder (XDG_CACHE_HOME or ~/.cache, LOCALAPPDATA on
// Windows), in a folder only the user can enter, one file per build of the bundle and version
// of Node: a rebuilt bundle (another size or time) gets a file of its own and the old one is
// removed. V8 checks the rest (its version, its flags) and rejects a cache that does not fit;
// the run then compiles as usual and writes a fresh one. Where nothing can be written, the
// bundle runs uncached.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module from 'node:module'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import vm from 'node:vm'

/** where the code cache of this user goes; undefined where there is no such place */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.MICRONETES_COMPILE_CACHE) return env.MICRONETES_COMPILE_CACHE
  if (platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'micronetes', 'compile-cache') : undefined
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'micronetes', 'compile-cache')
  let home: string
  try {
    home = homedir()
  } catch {
    return undefined
  }
  return home ? join(home, '.cache', 'micronetes', 'compile-cache') : undefined
}

/** the cache file's name: the bundle, its build (size, time) and the Node that compiled it */
export function cacheFileName(bundle: string, size: number, mtimeMs: number): string {
  return `${basename(bundle)}-${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}.v8cache`
}

/**
 * Runs the CLI's bundle for the command line `args`. `micronetes run` stays up for hours: it is
 * compiled as Node compiles any module, since a vm.Script (the only way to hand V8 a code cache
 * made after the code ran, on Node 20) keeps 13-17 MB more resident for the whole run, to save
 * some 40 ms once. The short commands (validate, generate, help) go through the cache.
 */
export function startCli(bundle: string, args: readonly string[]): BundleRun {
  if (args[0] === 'run') {
    Module.createRequire(bundle)(bundle)
    return { cache: 'none' }
  }
  return runBundle(bundle)
}

export interface BundleRun {
  /** 'used': compiled from the cache; 'written': compiled afresh, the cache is written at exit; 'none': not cached */
  cache: 'used' | 'written' | 'none'
}

/** runs `bundle` (a CommonJS file) as Node would require it, compiled with the code cache in `folder` */
export function runBundle(bundle: string, folder: string | undefined = cacheFolder()): BundleRun {
  const source = readFileSync(bundle, 'utf8')
  const { size, mtimeMs } = statSync(bundle)
  const cacheFile = folder ? join(folder, cacheFileName(bundle, size, mtimeMs)) : undefined
  let cachedData: Buffer | undefined
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // none yet
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData })
  const used = cachedData !== undefined && !script.cachedDataRejected
  if (cacheFile && !used) {
    // at exit, V8 has compiled what this run called too: that goes into the cache
    process.once('exit', () => writeCache(cacheFile, `${basename(bundle)}-`, script))
  }
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void
  const module = { exports: {} }
  run.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle))
  return { cache: used ? 'used' : cacheFile ? 'written' : 'none' }
}

/** writes the cache, and removes the caches of other builds of the bundle (named `prefix`...) */
function writeCache(cacheFile: string, prefix: string, script: vm.Script): void {
  const folder = dirname(cacheFile)
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 })
    const data = script.createCachedData()
    // written whole, then renamed: a run starting meanwhile reads the old file or the new one
    const partial = `${cacheFile}.${process.pid}.partial`
    writeFileSync(partial, data, { mode: 0o600 })
    renameSync(partial, cacheFile)
    // the caches of earlier builds of the same bundle are of no use any more
    for (const name of readdirSync(folder)) {
      if (name.startsWith(prefix) && name !== basename(cacheFile) && !name.endsWith('.partial')) rmSync(join(folder, name), { force: true })
    }
  } catch {
    // a read-only home, a full disk: the next run compiles again
  }
}
