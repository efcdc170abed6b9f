// The File menu and quitting against the real core: a Session running a small real
// application of Node processes. Only Electron's Menu is absent: the template's items are
// clicked directly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadApplication } from '../../src-main/core/config/load-application'
import { Session } from '../../src-main/core/session'
import { menuActions } from '../../src-main/electron/menu-actions'
import { buildMenuTemplate } from '../../src-main/electron/menu-template'
import { createQuitGuard } from '../../src-main/electron/quit-guard'
import { RecentFiles } from '../../src-main/electron/recent-files'
import { processAlive } from '../../src-main/core/proc'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function writeApp(dir: string, name: string, replicas: number): string {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(
    file,
    [`name: ${name}`, 'services:', '  - name: ticker', '    executable: node', `    args: ["-e", "setInterval(() => console.log('tick'), 200)"]`, `    replicas: ${replicas}`, ''].join('\n'),
  )
  return file
}

function desktop(example?: (dir: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-menu-core-'))
  const examplePath = example?.(dir)
  const recent = new RecentFiles(join(dir, 'recent.json'))
  const chooseFile = vi.fn<() => Promise<string | undefined>>()
  const session = new Session({ desktop: true, loadApplication, recent, chooseFile })
  const handlers = session.handlers
  const errors: string[] = []
  const actions = menuActions({ handlers, recent: { clear: () => session.clearRecent() }, quit: vi.fn(), openInBrowser: vi.fn(), ...(examplePath ? { examplePath } : {}), onError: (_t, m) => errors.push(m), onChange: () => undefined })
  cleanups.push(async () => {
    session.forceStop()
    await session.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const template = () => {
    const info = session.info()
    return buildMenuTemplate({ platform: 'linux', recentFiles: recent.list(), state: info.state, hasApplication: info.application !== undefined, devTools: false, actions })
  }
  const click = async (predicate: (item: MenuItemConstructorOptions) => boolean) => {
    const item = find(template(), predicate)
    expect(item, 'menu item').toBeDefined()
    expect(item!.enabled).not.toBe(false)
    ;(item!.click as () => void)()
    await actions.running()
  }
  return { dir, session, recent, chooseFile, click, errors, template }
}

function find(items: MenuItemConstructorOptions[], predicate: (item: MenuItemConstructorOptions) => boolean): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (predicate(item)) return item
    if (Array.isArray(item.submenu)) {
      const inner = find(item.submenu, predicate)
      if (inner) return inner
    }
  }
  return undefined
}

const pids = (session: Session) => session.current()?.services().flatMap((s) => s.replicaStatuses.map((r) => r.pid).filter((p): p is number => p !== undefined)) ?? []

describe('the File menu on the real core', () => {
  it('opens, reopens from Open Recent, reloads and closes an application', async () => {
    const d = desktop()
    const first = writeApp(d.dir, 'first', 2)
    const second = writeApp(d.dir, 'second', 1)

    d.chooseFile.mockResolvedValueOnce(first)
    await d.click((i) => i.id === 'open')
    expect(d.errors).toEqual([])
    expect(d.session.info()).toMatchObject({ state: 'running', application: { name: 'first' } })
    await vi.waitFor(() => expect(pids(d.session)).toHaveLength(2), { timeout: 10_000 })
    const firstPids = pids(d.session)
    expect(firstPids.filter(processAlive)).toHaveLength(2)

    // opening another stops the running one first
    d.chooseFile.mockResolvedValueOnce(second)
    await d.click((i) => i.id === 'open')
    expect(d.session.info().application?.name).toBe('second')
    expect(firstPids.filter(processAlive)).toEqual([])
    expect(d.recent.list()).toEqual([second, first])

    await d.click((i) => i.label === first)
    expect(d.session.info().application?.name).toBe('first')
    await vi.waitFor(() => expect(pids(d.session)).toHaveLength(2), { timeout: 10_000 })

    writeApp(d.dir, 'first', 3)
    await d.click((i) => i.id === 'reload')
    await vi.waitFor(() => expect(pids(d.session)).toHaveLength(3), { timeout: 10_000 })
    const lastPids = pids(d.session)

    await d.click((i) => i.id === 'close')
    expect(d.session.info().state).toBe('empty')
    expect(lastPids.filter(processAlive)).toEqual([])
    expect(find(d.template(), (i) => i.id === 'close')!.enabled).toBe(false)
  })

  it('opens the shipped example application from the File menu', async () => {
    const d = desktop((dir) => writeApp(dir, 'example', 2))
    await d.click((i) => i.id === 'open-example')
    expect(d.errors).toEqual([])
    expect(d.session.info()).toMatchObject({ state: 'running', application: { name: 'example' } })
    await vi.waitFor(() => expect(pids(d.session).filter(processAlive)).toHaveLength(2), { timeout: 10_000 })
  })

  it('shows a bad file errors and starts nothing', async () => {
    const d = desktop()
    const bad = join(d.dir, 'bad.yaml')
    writeFileSync(bad, 'services:\n  - name: web\n    replicas: many\n    executable: node\n')
    d.chooseFile.mockResolvedValueOnce(bad)
    await d.click((i) => i.id === 'open')
    const info = d.session.info()
    expect(info.state).toBe('error')
    expect(info.problems[0]).toMatchObject({ line: 3 })
    expect(d.session.current()).toBeUndefined()
    expect(d.recent.list()).toEqual([])
  })

  it('quits only after every replica has stopped', async () => {
    const d = desktop()
    const file = writeApp(d.dir, 'quitter', 2)
    d.chooseFile.mockResolvedValueOnce(file)
    await d.click((i) => i.id === 'open')
    await vi.waitFor(() => expect(pids(d.session)).toHaveLength(2), { timeout: 10_000 })
    const running = pids(d.session)
    expect(running.filter(processAlive)).toHaveLength(2)

    const exit = vi.fn()
    const guard = createQuitGuard({ stop: async () => void (await d.session.close()), timeoutMs: 20_000, exit, forceStop: () => d.session.forceStop() })
    const event = { preventDefault: vi.fn() }
    guard.beforeQuit(event)
    expect(event.preventDefault).toHaveBeenCalled()
    expect(exit).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0), { timeout: 20_000 })
    expect(running.filter(processAlive)).toEqual([])
  })
})
