import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionInfo } from '../../src-shared/contract'
import { menuActions } from '../../src-main/electron/menu-actions'
import { buildMenuTemplate, type MenuActions, type MenuModel } from '../../src-main/electron/menu-template'
import { RecentFiles } from '../../src-main/electron/recent-files'

function noActions(): MenuActions & Record<string, ReturnType<typeof vi.fn>> {
  return { open: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), reload: vi.fn(), close: vi.fn(), quit: vi.fn(), openInBrowser: vi.fn() }
}

function model(overrides: Partial<MenuModel> = {}): MenuModel {
  return { platform: 'linux', recentFiles: [], state: 'empty', hasApplication: false, devTools: false, actions: noActions(), ...overrides }
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

const byId = (items: MenuItemConstructorOptions[], id: string) => find(items, (i) => i.id === id)
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)()

describe('the File menu', () => {
  it('has Open, Open Recent, Reload, Close and Quit with their shortcuts', () => {
    const template = buildMenuTemplate(model())
    const file = template.find((m) => m.label === '&File')!
    const labels = (file.submenu as MenuItemConstructorOptions[]).filter((i) => i.type !== 'separator').map((i) => i.label)
    expect(labels).toEqual(['Open app.yaml…', 'Open Recent', 'Reload app.yaml', 'Close Application', 'Quit'])
    expect(byId(template, 'open')!.accelerator).toBe('CmdOrCtrl+O')
    expect(byId(template, 'quit')!.accelerator).toBe('CmdOrCtrl+Q')
  })

  it('enables Reload and Close only when an application is open, and nothing while stopping', () => {
    expect(byId(buildMenuTemplate(model()), 'reload')!.enabled).toBe(false)
    expect(byId(buildMenuTemplate(model()), 'close')!.enabled).toBe(false)
    const running = buildMenuTemplate(model({ state: 'running', hasApplication: true }))
    expect(byId(running, 'reload')!.enabled).toBe(true)
    expect(byId(running, 'close')!.enabled).toBe(true)
    const stopping = buildMenuTemplate(model({ state: 'stopping', hasApplication: true }))
    expect(['open', 'reload', 'close'].map((id) => byId(stopping, id)!.enabled)).toEqual([false, false, false])
  })

  it('lists recent files and clicks through to the actions', () => {
    const actions = noActions()
    const template = buildMenuTemplate(model({ actions, recentFiles: ['/srv/a/app.yaml', '/srv/R&D/app.yaml'], state: 'running', hasApplication: true }))
    const recent = byId(template, 'open-recent')!.submenu as MenuItemConstructorOptions[]
    expect(recent.map((i) => i.label)).toEqual(['/srv/a/app.yaml', '/srv/R&&D/app.yaml', undefined, 'Clear Recent'])
    click(recent[1])
    expect(actions.openRecent).toHaveBeenCalledWith('/srv/R&D/app.yaml')
    for (const id of ['open', 'reload', 'close', 'quit', 'clear-recent']) click(byId(template, id))
    for (const name of ['open', 'reload', 'close', 'quit', 'clearRecent']) expect(actions[name]).toHaveBeenCalledTimes(1)
    expect(find(buildMenuTemplate(model()), (i) => i.label === 'No Recent Files')!.enabled).toBe(false)
  })

  it('offers the shipped example only where it exists', () => {
    expect(byId(buildMenuTemplate(model()), 'open-example')).toBeUndefined()
    const actions = { ...noActions(), openExample: vi.fn() }
    click(byId(buildMenuTemplate(model({ actions })), 'open-example'))
    expect(actions.openExample).toHaveBeenCalledTimes(1)
    expect(byId(buildMenuTemplate(model({ actions, state: 'stopping' })), 'open-example')!.enabled).toBe(false)
  })

  it('opens the dashboard in the browser once the API listens', () => {
    const actions = noActions()
    expect(byId(buildMenuTemplate(model({ actions })), 'open-in-browser')!.enabled).toBe(false)
    const template = buildMenuTemplate(model({ actions, apiUrl: 'http://127.0.0.1:8000' }))
    click(byId(template, 'open-in-browser'))
    expect(actions.openInBrowser).toHaveBeenCalledTimes(1)
  })

  it('puts Quit in the app menu on macOS and devtools only in development', () => {
    const mac = buildMenuTemplate(model({ platform: 'darwin' }))
    expect(mac[0]!.label).toBe('Micronetes')
    expect(byId(mac, 'quit')!.accelerator).toBe('Cmd+Q')
    const file = mac.find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[]
    expect(file.some((i) => i.id === 'quit')).toBe(false)
    expect(find(buildMenuTemplate(model()), (i) => i.role === 'toggleDevTools')).toBeUndefined()
    expect(find(buildMenuTemplate(model({ devTools: true })), (i) => i.role === 'toggleDevTools')).toBeDefined()
  })
})

describe('the menu actions', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('show a failure to the user instead of losing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-menu-'))
    dirs.push(dir)
    const onError = vi.fn()
    const info: SessionInfo = { state: 'empty', problems: [], warnings: [], desktop: true, recentFiles: [] }
    const actions = menuActions({
      handlers: {
        openApplication: vi.fn(() => Promise.reject(new Error('EACCES: /srv/app.yaml'))),
        reloadApplication: vi.fn(() => info),
        closeApplication: vi.fn(() => info),
      },
      recent: new RecentFiles(join(dir, 'recent.json')),
      quit: vi.fn(),
      openInBrowser: vi.fn(),
      onError,
      onChange: vi.fn(),
    })
    actions.openRecent('/srv/app.yaml')
    await actions.running()
    expect(onError).toHaveBeenCalledWith('Open Recent', 'EACCES: /srv/app.yaml')
  })
})
