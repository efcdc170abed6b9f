// The desktop app once Electron is ready: one Session hosting the core, the HTTP API beside
// it (so curl keeps working), the IPC adapter, the File menu, and quitting that stops
// everything first. Electron-only wiring; each decision sits in its own tested module.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, dialog, ipcMain, Menu, Notification, session as electronSession, shell, type BrowserWindow } from 'electron'
import type { SessionInfo } from '../../src-shared/contract'
import { startApiServer } from '../api/server'
import { loadApplication } from '../core/config/load-application'
import { Session } from '../core/session'
import { appLocation } from './app-url'
import { externalLinkOf } from './external-links'
import { pushEvents, registerContractIpc } from './ipc-adapter'
import { createMainWindow } from './main-window'
import { startDesktopNotifications } from './notifications'
import { EVENT_CHANNEL } from '../preload/ipc-channels'
import { menuActions } from './menu-actions'
import { buildMenuTemplate } from './menu-template'
import { createQuitGuard } from './quit-guard'
import { RecentFiles } from './recent-files'
import { senderCheck } from './sender-check'
import { guardSession } from './window-guards'
import { windowProgress } from './window-title'
import { createRuntime } from '../core/runtime'

/** replicas get their grace period (5 s by default) and then SIGKILL; this bounds the rest */
const QUIT_TIMEOUT_MS = 20_000

export interface DesktopPaths {
  preload: string
  indexHtml: string
  icon?: string
}

export interface DesktopApp {
  openFile(path: string): void
  focus(): void
}

export async function startDesktopApp(paths: DesktopPaths): Promise<DesktopApp> {
  const userData = app.getPath('userData')
  const recent = new RecentFiles(join(userData, 'recent-files.json'))
  const location = appLocation({
    indexHtml: paths.indexHtml,
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  })

  let window: BrowserWindow | undefined
  let saveWindowState: (() => void) | undefined
  const ownWindows = new Set<BrowserWindow>()

  const chooseFile = async (): Promise<string | undefined> => {
    const options: Electron.OpenDialogOptions = {
      title: 'Open app.yaml or tye.yaml',
      properties: ['openFile'],
      filters: [
        { name: 'Micronetes or Project Tye application', extensions: ['yaml', 'yml'] },
        { name: 'All files', extensions: ['*'] },
      ],
    }
    const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return choice.canceled ? undefined : choice.filePaths[0]
  }
  // one recent list and one open/reload/close queue, in the session: the window and a browser see the same
  const core = new Session({ desktop: true, runtime: createRuntime(), loadApplication, recent, chooseFile, watchFiles: true })

  // packaged: electron-builder's extraResources put examples/ beside the app; in development
  // it is the repository's own
  const example = join(app.isPackaged ? process.resourcesPath : app.getAppPath(), 'examples', 'app.yaml')
  const actions = menuActions({
    handlers: core.handlers,
    // through the session, so the dashboard's list empties too
    recent: { clear: () => core.clearRecent() },
    ...(existsSync(example) ? { examplePath: example } : {}),
    quit: () => app.quit(),
    openInBrowser: () => {
      const link = externalLinkOf(`${core.info().apiUrl ?? ''}/`)
      if (link) void shell.openExternal(link)
    },
    onError: (title, message) => dialog.showErrorBox(title, message),
    onChange: () => refreshMenu(),
  })

  function refreshMenu(info: SessionInfo = core.info()): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      recentFiles: recent.list(),
      state: info.state,
      hasApplication: info.application !== undefined,
      apiUrl: info.apiUrl,
      devTools: !app.isPackaged,
      actions,
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
    showProgress(info)
  }

  // opening, reloading, closing and quitting stop an application first: the title and the
  // taskbar say so while it happens, the dashboard shows the same from the session events
  function showProgress(info: SessionInfo, message?: string): void {
    if (!window || window.isDestroyed()) return
    const { title, progress } = windowProgress(info, message)
    window.setTitle(title)
    window.setProgressBar(progress)
  }

  guardSession(electronSession.defaultSession, { isAppUrl: location.isAppUrl })

  // MICRONETES_API_PORT picks the API port (0: any free one); 8000 or a free one otherwise
  const port = process.env.MICRONETES_API_PORT ? Number(process.env.MICRONETES_API_PORT) : undefined
  const api = await startApiServer({ session: core, ...(port !== undefined ? { port } : {}) })
  core.setApiUrl(api.url)
  console.log(`Micronetes API on ${api.url}`)

  registerContractIpc({
    ipcMain,
    handlers: core.handlers,
    isTrustedSender: senderCheck({ ownContents: () => [...ownWindows].filter((w) => !w.isDestroyed()).map((w) => w.webContents), location }),
  })

  core.subscribe((event) => {
    if (event.type === 'session') refreshMenu(event.session)
  })

  function openWindow(): BrowserWindow {
    const { window: created, saveState } = createMainWindow({
      preload: paths.preload,
      location,
      stateFile: join(userData, 'window-state.json'),
      icon: paths.icon,
    })
    ownWindows.add(created)
    saveWindowState = saveState
    // closing the window while an application runs quits through the guard, and the window
    // stays up meanwhile to show the stop's progress (macOS keeps apps without windows)
    created.on('close', (event) => {
      if (process.platform === 'darwin' || core.info().state === 'empty') return
      event.preventDefault()
      app.quit()
    })
    const stopPushing = pushEvents(
      (listener) => core.subscribe(listener),
      created.webContents,
    )
    // an open window is someone looking: resources are sampled each second meanwhile
    const stopWatching = core.watch()
    created.on('closed', () => {
      stopPushing()
      stopWatching()
      ownWindows.delete(created)
      if (window === created) window = undefined
    })
    window = created
    refreshMenu()
    return created
  }

  const guard = createQuitGuard({
    stop: async () => {
      saveWindowState?.()
      await actions.running()
      await core.handlers.closeApplication({})
      await api.close()
    },
    timeoutMs: QUIT_TIMEOUT_MS,
    forceStop: () => core.forceStop(),
    exit: (code) => app.exit(code),
    onProgress: (message) => {
      console.log(message)
      showProgress(core.info(), message)
    },
  })
  app.on('before-quit', (event) => guard.beforeQuit(event))
  app.on('window-all-closed', () => {
    // macOS keeps an app alive without windows; elsewhere closing the window quits
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (!window) openWindow()
  })
  // Ctrl-C in the terminal that started the app quits like the menu; a second one, while
  // the stop is under way, kills what is left and leaves at once (as `micronetes run` does)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!guard.stopping) return app.quit()
      core.forceStop()
      app.exit(1)
    })
  }

  openWindow()

  startDesktopNotifications({
    subscribe: (listener) => core.subscribe(listener),
    isSupported: () => Notification.isSupported(),
    create: (options) => new Notification(options),
    isWindowFocused: () => window !== undefined && !window.isDestroyed() && window.isFocused(),
    show: (service) => {
      const target = window ?? openWindow()
      if (target.isMinimized()) target.restore()
      target.show()
      target.focus()
      if (!target.webContents.isDestroyed()) target.webContents.send(EVENT_CHANNEL, { type: 'show-service', id: 0, ...(service !== undefined ? { service } : {}) })
    },
  })

  return {
    openFile(path) {
      Promise.resolve(core.handlers.openApplication({ path })).catch((err: unknown) => dialog.showErrorBox('Open app.yaml', err instanceof Error ? err.message : String(err)))
    },
    focus() {
      const target = window ?? openWindow()
      if (target.isMinimized()) target.restore()
      target.show()
      target.focus()
    },
  }
}
