// The desktop app's whole wiring (main.ts, desktop-app.ts) over a double of the Electron API,
// with the real core, the real HTTP API and real processes behind it: a path on the command
// line opens and runs, the window gets secure options and events, IPC reaches the core,
// curl keeps working, a second launch opens its file, quitting stops everything first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { SessionInfo, DeliveredEvent } from '../../src-shared/contract'
import type { ServiceStatus } from '../../src-shared/status'
import { commandChannel, EVENT_CHANNEL } from '../../src-main/preload/ipc-channels'
import { FakeBrowserWindow, theDouble } from './electron-double'
import { eventFrom } from './ipc-double'
import { processAlive } from '../../src-main/core/proc'

vi.mock('electron', async () => (await import('./electron-double')).theDouble.module)

const root = resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'micronetes-desktop-app-'))
const seenPids = new Set<number>()
const savedArgv = process.argv
// the app listens for SIGINT/SIGTERM; those listeners must not outlive the test in this worker
const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') }

function writeApp(name: string, replicas: number): string {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, [`name: ${name}`, 'services:', '  - name: ticker', '    executable: node', `    args: ["-e", "setInterval(() => {}, 1000)"]`, `    replicas: ${replicas}`, ''].join('\n'))
  return file
}

const window = () => FakeBrowserWindow.getAllWindows()[0]!
async function call<T>(name: Parameters<typeof commandChannel>[0], input: object = {}): Promise<T> {
  const reply = (await theDouble.ipcMain.invoke(eventFrom(window().webContents), commandChannel(name), input)) as { result?: T; error?: { message: string } }
  if (reply.error) throw new Error(reply.error.message)
  return reply.result as T
}
async function pids(): Promise<number[]> {
  const services = await call<ServiceStatus[]>('services')
  const found = services.flatMap((s) => s.replicaStatuses.map((r) => r.pid ?? 0)).filter((p) => p > 0)
  for (const pid of found) seenPids.add(pid)
  return found
}

beforeAll(async () => {
  process.env.MICRONETES_USER_DATA = join(dir, 'profile')
  process.env.MICRONETES_API_PORT = '0'
  process.argv = ['/opt/electron/electron', root, writeApp('first', 2)]
  ;(process as { defaultApp?: boolean }).defaultApp = true
  await import('../../src-main/electron/main')
  await vi.waitFor(() => expect(FakeBrowserWindow.getAllWindows()).toHaveLength(1), { timeout: 10_000 })
})

afterAll(async () => {
  process.argv = savedArgv
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener)
  }
  if (theDouble.app.exitCode === undefined) {
    theDouble.app.quit()
    await vi.waitFor(() => expect(theDouble.app.exitCode).toBeDefined(), { timeout: 30_000 }).catch(() => undefined)
  }
  for (const pid of seenPids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone, as it should be
    }
  }
  rmSync(dir, { recursive: true, force: true })
})

describe('the desktop app', () => {
  it('opens the app.yaml named on the command line in a secure window', async () => {
    await vi.waitFor(async () => expect((await call<SessionInfo>('session')).state).toBe('running'), { timeout: 15_000 })
    const win = window()
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    // beside main.ts here; beside out/main/electron.js once built
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/\/preload\/index\.cjs$/)
    expect(win.webContents.mainFrame.url).toMatch(/^file:\/\/.*\/renderer\/index\.html$/)
    expect(win.webContents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    const session = await call<SessionInfo>('session')
    expect(session).toMatchObject({ desktop: true, application: { name: 'first' } })
    expect(session.recentFiles).toEqual([join(dir, 'first.yaml')])
    await vi.waitFor(async () => expect(await pids()).toHaveLength(2), { timeout: 10_000 })
    await vi.waitFor(() => expect(win.title).toBe('Micronetes — first'))
  })

  it('serves the same application to curl while the window runs', async () => {
    const { apiUrl } = await call<SessionInfo>('session')
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${apiUrl}/api/v1/application`)
    expect(await response.json()).toMatchObject({ name: 'first' })
  })

  it('scales over IPC and pushes the events to the window', async () => {
    await call('scale', { service: 'ticker', replicas: 3 })
    await vi.waitFor(async () => expect(await pids()).toHaveLength(3), { timeout: 10_000 })
    const events = window().webContents.sent.filter((m) => m.channel === EVENT_CHANNEL).map((m) => m.payload as DeliveredEvent)
    expect(events.some((e) => e.type === 'service' && e.service.replicas === 3)).toBe(true)
    const ids = events.map((e) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
  })

  it('refuses IPC from a frame that is not its window', async () => {
    const reply = await theDouble.ipcMain.invoke(eventFrom(window().webContents, { url: window().webContents.mainFrame.url, parent: window().webContents.mainFrame }), commandChannel('scale'), { service: 'ticker', replicas: 0 })
    expect(reply).toMatchObject({ error: { message: expect.stringContaining('refused') } })
    expect(await pids()).toHaveLength(3)
  })

  it('keeps a File menu that follows the session', () => {
    const menu = theDouble.menus.at(-1)!
    const file = menu.find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[]
    expect(file.find((i) => i.id === 'reload')!.enabled).toBe(true)
    const recent = file.find((i) => i.id === 'open-recent')!.submenu as MenuItemConstructorOptions[]
    expect(recent[0]!.label).toContain('first.yaml')
  })

  it('opens the file of a second launch, stopping the first application first', async () => {
    const before = await pids()
    const second = writeApp('second', 1)
    theDouble.app.emit('second-instance', {}, ['/opt/electron/electron', root, 'second.yaml'], dir, { file: second })
    await vi.waitFor(async () => expect((await call<SessionInfo>('session')).application?.name).toBe('second'), { timeout: 15_000 })
    expect(before.filter(processAlive)).toEqual([])
    await vi.waitFor(async () => expect(await pids()).toHaveLength(1), { timeout: 10_000 })
  })

  it('quits only after every replica has stopped, and closes the API', async () => {
    const running = await pids()
    const { apiUrl } = await call<SessionInfo>('session')
    window().close()
    expect(window().isDestroyed()).toBe(false)
    expect(theDouble.app.exitCode).toBeUndefined()
    await vi.waitFor(() => expect(theDouble.app.exitCode).toBe(0), { timeout: 30_000 })
    expect(running.filter(processAlive)).toEqual([])
    await expect(fetch(`${apiUrl}/api/v1/application`)).rejects.toThrow()
    expect(JSON.parse(readFileSync(join(dir, 'profile', 'window-state.json'), 'utf8'))).toMatchObject({ width: 1100, height: 700 })
    expect(theDouble.errorBoxes).toEqual([])
  })
})
