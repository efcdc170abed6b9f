// The built main bundle (out/main/electron.js, as electron-vite emits it) run under plain Node
// with a stand-in for the electron module: it loads as an ES module, finds its preload and
// page, runs an application from its command line, and quits after stopping it.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { processAlive } from '../../src-main/core/proc'

const root = resolve(import.meta.dirname, '../..')
const bundle = join(root, 'out/main/electron.js')
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the built main bundle', () => {
  // npm test builds first; a bare vitest run without a build has no bundle to check. In CI a
  // missing bundle is a broken build, so it runs (and fails) there.
  it.skipIf(!existsSync(bundle) && !process.env.CI)('runs an application from its command line and quits after stopping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-bundle-'))
    dirs.push(dir)
    const app = join(dir, 'app.yaml')
    writeFileSync(app, ['name: bundled', 'services:', '  - name: ticker', '    executable: node', `    args: ["-e", "setInterval(() => {}, 1000)"]`, '    replicas: 2', ''].join('\n'))
    const child = spawn(process.execPath, ['--import', join(root, 'tests/electron/bundle-stub/register.mjs'), bundle, app], {
      cwd: dir,
      env: { ...process.env, MICRONETES_API_PORT: '0', MICRONETES_USER_DATA: join(dir, 'profile') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)))
    clearTimeout(timer)

    const reports = stdout
      .split('\n')
      .filter((line) => line.startsWith('STUB '))
      .map((line) => JSON.parse(line.slice(5)) as Record<string, unknown>)
    const pids = [...new Set(reports.filter((r) => r.pid).map((r) => r.pid as number))]
    // whatever the assertions say, nothing this test started outlives it
    const alive = pids.filter(processAlive)
    for (const pid of alive) process.kill(pid, 'SIGKILL')
    expect(alive).toEqual([])
    expect(pids).toHaveLength(2)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(reports.find((r) => r.webPreferences)?.webPreferences).toMatchObject({
      preload: join(root, 'out/preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
    })
    expect(reports.find((r) => r.loadURL)?.loadURL).toBe(`file://${join(root, 'out/renderer/index.html')}`)
    const states = reports.filter((r) => r.session).map((r) => r.session)
    expect(states).toContain('running')
    expect(states.at(-1)).toBe('empty')
    expect(reports.filter((r) => r.name === 'bundled').length).toBeGreaterThan(0)
    expect(reports.at(-1)).toEqual({ exit: 0 })
  })
})
