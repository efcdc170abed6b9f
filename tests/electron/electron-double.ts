// The thinnest stand-in for the Electron API the desktop app's wiring touches (app,
// BrowserWindow, ipcMain, Menu, dialog, screen, shell, session). It records what the app
// did and lets a test play the user: quit, a second launch, a dialog answer.
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { MenuItemConstructorOptions } from 'electron'
import { FakeIpcMain } from './ipc-double'

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = { url: '', parent: null }
  readonly sent: { channel: string; payload: unknown }[] = []
  openHandler?: (details: { url: string }) => unknown
  destroyed = false
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.openHandler = handler
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload: structuredClone(payload) })
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = []
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed)
  }
  readonly webContents = new FakeWebContents()
  title = ''
  progress = -1
  destroyed = false
  constructor(readonly options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.all.push(this)
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url
    this.emit('ready-to-show')
  }
  /** what the user clicking the window's close button does */
  close(): void {
    let prevented = false
    this.emit('close', { preventDefault: () => (prevented = true) })
    if (prevented) return
    this.destroyed = true
    this.webContents.destroyed = true
    this.emit('closed')
  }
  /** whether the user is in this window; a test sets it */
  focused = true
  show(): void {}
  focus(): void {
    this.focused = true
  }
  isFocused(): boolean {
    return this.focused
  }
  restore(): void {}
  maximize(): void {}
  isMinimized(): boolean {
    return false
  }
  isMaximized(): boolean {
    return false
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  setTitle(title: string): void {
    this.title = title
  }
  setProgressBar(value: number): void {
    this.progress = value
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1100, height: 700 }
  }
}

/** a native notification: recorded when shown, clicked by the test */
export class FakeNotification extends EventEmitter {
  static readonly shown: FakeNotification[] = []
  static supported = true
  static isSupported(): boolean {
    return FakeNotification.supported
  }
  closed = false
  constructor(readonly options: { title: string; body: string }) {
    super()
  }
  show(): void {
    FakeNotification.shown.push(this)
  }
  close(): void {
    this.closed = true
  }
  click(): void {
    this.emit('click')
  }
}

export class FakeApp extends EventEmitter {
  userData = ''
  isPackaged = false
  exitCode: number | undefined
  quitRequests = 0
  requestSingleInstanceLock(): boolean {
    return true
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  /** the folder holding package.json: this repository, as in development */
  getAppPath(): string {
    return fileURLToPath(new URL('../..', import.meta.url))
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`getPath(${name}) is not doubled`)
    return this.userData
  }
  setPath(name: string, value: string): void {
    if (name === 'userData') this.userData = value
  }
  quit(): void {
    this.quitRequests++
    let prevented = false
    this.emit('before-quit', { preventDefault: () => (prevented = true) })
    if (!prevented) this.exitCode = 0
  }
  exit(code: number): void {
    this.exitCode = code
  }
}

export function electronDouble() {
  const app = new FakeApp()
  const ipcMain = new FakeIpcMain()
  const menus: MenuItemConstructorOptions[][] = []
  const errorBoxes: string[] = []
  const openDialogAnswers: string[] = []
  const defaultSession = {
    webRequest: { onHeadersReceived: (_listener: unknown) => undefined },
    permissionRequest: undefined as unknown,
    setPermissionRequestHandler(handler: unknown) {
      this.permissionRequest = handler
    },
    setPermissionCheckHandler(_handler: unknown) {},
  }
  const module = {
    app,
    ipcMain,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (menu: MenuItemConstructorOptions[]) => menus.push(menu),
    },
    dialog: {
      showOpenDialog: async () => {
        const answer = openDialogAnswers.shift()
        return answer ? { canceled: false, filePaths: [answer] } : { canceled: true, filePaths: [] }
      },
      showErrorBox: (title: string, message: string) => errorBoxes.push(`${title}: ${message}`),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: async (_url: string) => undefined },
    session: { defaultSession },
  }
  return { module, app, ipcMain, menus, errorBoxes, openDialogAnswers, defaultSession }
}

/** one double per test file: vi.mock('electron') hands out its module */
export const theDouble = electronDouble()
