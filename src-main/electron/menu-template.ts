// The application menu as data. Electron's Menu.buildFromTemplate turns it into a menu;
// the tests click its items directly.
import { homedir } from 'node:os'
import type { MenuItemConstructorOptions } from 'electron'
import type { SessionState } from '../../src-shared/contract'

export interface MenuActions {
  open(): void
  openRecent(path: string): void
  clearRecent(): void
  reload(): void
  close(): void
  quit(): void
  /** the same dashboard, served by the HTTP API, in the system browser */
  openInBrowser(): void
  /** the example application shipped with the app; absent where it is not shipped */
  openExample?(): void
}

export interface MenuModel {
  platform: NodeJS.Platform
  recentFiles: readonly string[]
  state: SessionState
  /** an application is loaded (running, starting, or failed to start) */
  hasApplication: boolean
  /** the HTTP API's URL, once it listens */
  apiUrl?: string
  devTools: boolean
  actions: MenuActions
}

export function buildMenuTemplate(model: MenuModel): MenuItemConstructorOptions[] {
  const mac = model.platform === 'darwin'
  const { actions } = model
  const busy = model.state === 'stopping'

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'open', label: 'Open app.yaml…', accelerator: 'CmdOrCtrl+O', enabled: !busy, click: () => actions.open() },
      { id: 'open-recent', label: 'Open Recent', submenu: recentMenu(model) },
      ...(actions.openExample
        ? [{ id: 'open-example', label: 'Open Example Application', enabled: !busy, click: () => actions.openExample?.() }]
        : []),
      { type: 'separator' },
      {
        id: 'reload',
        label: 'Reload app.yaml',
        accelerator: 'CmdOrCtrl+R',
        enabled: model.hasApplication && !busy,
        click: () => actions.reload(),
      },
      {
        id: 'close',
        label: 'Close Application',
        accelerator: 'CmdOrCtrl+Shift+W',
        enabled: model.state !== 'empty' && !busy,
        click: () => actions.close(),
      },
      ...(mac
        ? []
        : [{ type: 'separator' } as const, { id: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() }]),
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { id: 'open-in-browser', label: 'Open Dashboard in Browser', enabled: model.apiUrl !== undefined, click: () => actions.openInBrowser() },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(model.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  }

  return [
    ...(mac
      ? [
          {
            label: 'Micronetes',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { id: 'quit', label: 'Quit Micronetes', accelerator: 'Cmd+Q', click: () => actions.quit() },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    { label: '&Edit', role: 'editMenu' },
    view,
    { label: '&Window', role: 'windowMenu' },
  ]
}

function recentMenu(model: MenuModel): MenuItemConstructorOptions[] {
  if (model.recentFiles.length === 0) return [{ label: 'No Recent Files', enabled: false }]
  const busy = model.state === 'stopping'
  return [
    ...model.recentFiles.map(
      (path): MenuItemConstructorOptions => ({
        label: displayPath(path),
        enabled: !busy,
        click: () => model.actions.openRecent(path),
      }),
    ),
    { type: 'separator' },
    { id: 'clear-recent', label: 'Clear Recent', click: () => model.actions.clearRecent() },
  ]
}

function displayPath(path: string): string {
  const home = homedir()
  // '&' marks a mnemonic in menu labels on Windows and Linux
  const shown = home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path
  return shown.replaceAll('&', '&&')
}
