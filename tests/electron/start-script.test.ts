// `npm start` as a user runs it, without the build step: with a stand-in Electron binary it
// launches the desktop app; without one it says so in one line and runs headless.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const started: ChildProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
      await new Promise((r) => child.once('exit', r))
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-start-'))
  dirs.push(dir)
  return dir
}

const tickerApp = ['name: fallback', 'services:', '  - name: ticker', '    executable: node', `    args: ["-e", "setInterval(() => {}, 1000)"]`, ''].join('\n')

function start(args: string[], env: Record<string, string | undefined>) {
  const childEnv = { ...process.env, ...env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k]
  // its own process group, so the test can stop the whole tree like a terminal's Ctrl-C
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), '--no-build', ...args], { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  const output = { stdout: '', stderr: '' }
  child.stdout!.on('data', (c) => (output.stdout += c))
  child.stderr!.on('data', (c) => (output.stderr += c))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, output, exited }
}

describe('npm start', () => {
  it('launches the Electron binary named by ELECTRON_OVERRIDE_DIST_PATH with the app folder and the file', async () => {
    const dist = tempDir()
    const record = join(dist, 'argv.json')
    // the stand-in for Electron: answers --version, records how the app was launched
    writeFileSync(
      join(dist, 'electron'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v45.5.0; exit 0; fi\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' ${record} "$@"\n`,
    )
    chmodSync(join(dist, 'electron'), 0o755)
    const app = join(tempDir(), 'app.yaml')
    writeFileSync(app, 'services: []\n')
    const run = start([app], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99' })
    expect(await run.exited).toBe(0)
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual([root, app])
    expect(run.output.stdout).not.toMatch(/headless/)
  })

  it('without an Electron binary, says so in one line and runs headless with the dashboard', async () => {
    const dir = tempDir()
    const app = join(dir, 'app.yaml')
    writeFileSync(app, tickerApp)
    const run = start([app, '--port', '0'], { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here') })
    await vi.waitFor(() => expect(run.output.stdout).toMatch(/Dashboard[^\n]*http:\/\/127\.0\.0\.1:\d+/), { timeout: 20_000 })
    const notices = run.output.stdout.split('\n').filter((l) => /Electron/.test(l))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(/^Electron cannot run here \(ELECTRON_OVERRIDE_DIST_PATH=.* holds no Electron binary\); running Micronetes headless/)
    const url = /Dashboard[^\n]*(http:\/\/127\.0\.0\.1:\d+)/.exec(run.output.stdout)![1]
    const page = await fetch(`${url}/api/v1/application`)
    expect(await page.json()).toMatchObject({ name: 'fallback' })

    process.kill(-run.child.pid!, 'SIGINT')
    expect(await run.exited).toBe(0)
    expect(run.output.stderr).not.toMatch(/\n\s+at /)
  })

  it.each([
    { name: 'a binary that does not run', script: 'echo "error while loading shared libraries: libnss3.so" >&2; exit 127', display: ':99', reason: /does not run: error while loading shared libraries: libnss3\.so/ },
    { name: 'no display', script: 'echo v45.5.0', display: undefined, reason: /no display: neither DISPLAY nor WAYLAND_DISPLAY is set/ },
  ])('falls back to headless on $name, saying why in one line', async ({ script, display, reason }) => {
    const dist = tempDir()
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\n${script}\n`)
    chmodSync(join(dist, 'electron'), 0o755)
    const app = join(dist, 'app.yaml')
    writeFileSync(app, tickerApp)
    const run = start([app, '--port', '0'], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: display, WAYLAND_DISPLAY: undefined })
    await vi.waitFor(() => expect(run.output.stdout).toMatch(/Dashboard[^\n]*http:\/\//), { timeout: 20_000 })
    const notice = run.output.stdout.split('\n').filter((l) => l.startsWith('Electron'))
    expect(notice).toHaveLength(1)
    expect(notice[0]).toMatch(reason)
    process.kill(-run.child.pid!, 'SIGINT')
    expect(await run.exited).toBe(0)
  })

  it('names a missing file in one line', async () => {
    const run = start([join(tempDir(), 'nope.yaml')], {})
    expect(await run.exited).toBe(1)
    expect(run.output.stderr.trim()).toMatch(/^npm start: .*nope\.yaml not found$/)
  })
})
