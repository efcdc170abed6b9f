// Creating the dashboard window: secure options, guards, remembered bounds. Electron-only
// and thin; the decisions live in window-options, window-guards and window-state.
import { BrowserWindow, screen, shell } from 'electron'
import type { AppLocation } from './app-url'
import { guardContents } from './window-guards'
import { mainWindowOptions } from './window-options'
import { placeOnDisplays, readWindowState, writeWindowState } from './window-state'

export function createMainWindow(options: { preload: string; location: AppLocation; stateFile: string; icon?: string }): BrowserWindow {
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
  window.on('close', () => {
    try {
      writeWindowState(options.stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() })
    } catch {
      // a read-only profile folder costs the remembered size, nothing more
    }
  })
  void window.loadURL(options.location.url)
  return window
}
