// Creating the dashboard window: secure options, guards, remembered bounds. Electron-only
// and thin; the decisions live in window-options, window-guards and window-state.
import { BrowserWindow, screen, shell } from 'electron'
import type { AppLocation } from './app-url'
import { guardContents } from './window-guards'
import { mainWindowOptions } from './window-options'
import { placeOnDisplays, readWindowState, writeWindowState } from './window-state'

export interface MainWindow {
  window: BrowserWindow
  /** remember size and position now (app.exit closes windows without a 'close' event) */
  saveState(): void
}

export function createMainWindow(options: { preload: string; location: AppLocation; stateFile: string; icon?: string }): MainWindow {
  const saved = readWindowState(options.stateFile)
  const bounds = placeOnDisplays(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  )
  const window = new BrowserWindow(mainWindowOptions({ preload: options.preload, bounds, icon: options.icon }))
  guardContents(window.webContents, {
    isAppUrl: options.location.isAppUrl,
    openExternal: (url) => shell.openExternal(url),
  })
  if (saved.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  const saveState = (): void => {
    if (window.isDestroyed()) return
    try {
      writeWindowState(options.stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() })
    } catch {
      // a read-only profile folder costs the remembered size, nothing more
    }
  }
  window.on('close', saveState)
  void window.loadURL(options.location.url)
  return { window, saveState }
}
