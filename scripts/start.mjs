#!/usr/bin/env node
// `npm start [-- app.yaml] [--no-build] [--headless] [--port N]`: builds, then opens the desktop app on
// examples/app.yaml or the given file. Where Electron cannot run (its binary missing and not
// downloadable, a broken binary, no display) it says so in one line and runs the same
// application headless with the web dashboard instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DOWNLOAD_TIMEOUT_MS = 180_000
const VERSION_TIMEOUT_MS = 15_000

const args = process.argv.slice(2)
// --port N: the headless run's API port (0: any free one)
const portAt = args.indexOf('--port')
const port = portAt >= 0 ? args.splice(portAt, 2)[1] : undefined
if (portAt >= 0 && (port === undefined || !/^\d+$/.test(port))) fail('--port needs a port number')
const flags = new Set(args.filter((a) => a.startsWith('--')))
for (const flag of flags) {
  if (!['--no-build', '--headless', '--help'].includes(flag)) fail(`unknown option ${flag} (known: --no-build, --headless, --port N)`)
}
if (flags.has('--help')) {
  console.log('usage: npm start [-- [app.yaml] [--no-build] [--headless] [--port N]]')
  process.exit(0)
}
const operands = args.filter((a) => !a.startsWith('--'))
if (operands.length > 1) fail(`one app.yaml at a time (got ${operands.join(', ')})`)
// npm runs scripts from the package folder; a relative path means the user's own folder
const userCwd = process.env.INIT_CWD ?? process.cwd()
const file = operands[0] ? resolve(userCwd, operands[0]) : join(root, 'examples', 'app.yaml')
if (!existsSync(file)) fail(`${file} not found`)

if (!flags.has('--no-build')) {
  const build = spawnSync(npmCommand(), ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (build.status !== 0) fail('the build failed (see above); nothing was started')
}

const electron = flags.has('--headless') ? { ok: false, reason: '--headless was given' } : await findElectron()
if (electron.ok) {
  runChild(electron.binary, [root, file], electronEnv())
} else {
  console.log(`Electron cannot run here (${electron.reason}); running Micronetes headless with the web dashboard instead.`)
  runHeadless(file)
}

/** { ok: true, binary } or { ok: false, reason } in a few words */
async function findElectron() {
  let packageDir
  try {
    // resolve the package only: requiring 'electron' itself would start a download
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'))
  } catch {
    return { ok: false, reason: 'the electron package is not installed' }
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  let binary = binaryPath(packageDir, override)
  if (override) {
    if (!binary || !existsSync(binary)) return { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron binary` }
  } else if (!binary || !existsSync(binary)) {
    const download = await downloadElectron(packageDir)
    binary = binaryPath(packageDir, undefined)
    if (download.status !== 0 || !binary || !existsSync(binary)) {
      return { ok: false, reason: `its binary is not installed and the download failed: ${firstLine(download)}` }
    }
  }
  const version = spawnSync(binary, ['--version'], {
    encoding: 'utf8',
    timeout: VERSION_TIMEOUT_MS,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  })
  if (version.status !== 0) return { ok: false, reason: `${binary} does not run: ${firstLine(version)}` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set' }
  }
  return { ok: true, binary }
}

/** the electron package's own installer; says it is downloading only when that takes a while */
function downloadElectron(packageDir) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = { stdout: '', stderr: '' }
    child.stdout.on('data', (chunk) => (output.stdout += chunk))
    child.stderr.on('data', (chunk) => (output.stderr += chunk))
    const notice = setTimeout(() => console.log('Downloading the Electron binary (first launch)…'), 2000)
    const limit = setTimeout(() => child.kill('SIGKILL'), DOWNLOAD_TIMEOUT_MS)
    const finish = (status, error) => {
      clearTimeout(notice)
      clearTimeout(limit)
      done({ ...output, status, error })
    }
    child.on('error', (error) => finish(null, error))
    child.on('close', (status, signal) => finish(status, signal === 'SIGKILL' ? { code: 'ETIMEDOUT' } : undefined))
  })
}

/** the executable inside the electron package's dist folder (or the override), as the package itself finds it */
function binaryPath(packageDir, override) {
  let relative
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim()
  } catch {
    relative = undefined
  }
  if (override) return join(override, relative || defaultExecutable())
  return relative ? join(packageDir, 'dist', relative) : undefined
}

function defaultExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  return process.platform === 'win32' ? 'electron.exe' : 'electron'
}

function firstLine(result) {
  if (result.error) return result.error.code === 'ETIMEDOUT' ? 'timed out' : result.error.message
  const text = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
  return line ?? `exit code ${result.status}`
}

function electronEnv() {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  return env
}

function runHeadless(appFile) {
  const cli = join(root, 'bin', 'micronetes.cjs')
  const runArgs = [cli, 'run', appFile, ...(port !== undefined ? ['--port', port] : [])]
  const child = runChild(process.execPath, runArgs, process.env, ['inherit', 'pipe', 'inherit'])
  // the dashboard is served at the API's root: point at it unless the CLI already did
  let seen = ''
  let timer
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    if (seen === undefined) return
    seen = (seen + chunk.toString('utf8')).slice(-8192)
    if (/dashboard[^\n]*http:\/\//i.test(seen)) {
      clearTimeout(timer)
      seen = undefined
      return
    }
    const api = /(http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)/.exec(seen)
    if (api && !timer) {
      timer = setTimeout(() => {
        seen = undefined
        console.log(`Dashboard: ${api[1]}/`)
      }, 1000)
    }
  })
}

function runChild(command, childArgs, env, stdio = 'inherit') {
  const child = spawn(command, childArgs, { cwd: root, env, stdio })
  // Ctrl-C reaches the child through the terminal's process group; this script only waits
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT' && child.exitCode === null) child.kill(signal)
    })
  }
  child.on('error', (err) => fail(`cannot start ${command}: ${err.message}`))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  return child
}

function npmCommand() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm'
}

function fail(message) {
  console.error(`npm start: ${message}`)
  process.exit(1)
}
