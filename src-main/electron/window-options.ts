// The main window's construction options. The security switches are spelled out even where
// they are Electron's defaults, so a future default change cannot loosen them silently.
import type { BrowserWindowConstructorOptions } from 'electron'
import type { WindowBounds } from './window-state'

export function mainWindowOptions(options: { preload: string; bounds: WindowBounds; icon?: string }): BrowserWindowConstructorOptions {
  return {
    ...options.bounds,
    minWidth: 640,
    minHeight: 400,
    title: 'Micronetes',
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}
