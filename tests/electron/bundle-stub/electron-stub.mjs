// Just enough of Electron's main-process API for out/main/electron.js to run under plain
// Node. It reports what the app does as `STUB {json}` lines on stdout and quits the app, the
// way the menu would, once the application has run.
import { EventEmitter } from 'node:events'

const report = (what) => process.stdout.write(`STUB ${JSON.stringify(what)}\n`)

class WebContents extends EventEmitter {
  mainFrame = { url: '', parent: null }
  setWindowOpenHandler() {}
  isDestroyed() {
    return false
  }
  send(_channel, event) {
    if (event.type === 'replica' && event.replica.pid) report({ pid: event.replica.pid })
    if (event.type !== 'session') return
    report({ session: event.session.state, name: event.session.application?.name, apiUrl: event.session.apiUrl })
    if (event.session.state === 'running') setTimeout(() => app.quit(), 200)
  }
}

export class BrowserWindow extends EventEmitter {
  static windows = []
  static getAllWindows() {
    return BrowserWindow.windows
  }
  constructor(options) {
    super()
    this.webContents = new WebContents()
    BrowserWindow.windows.push(this)
    report({ webPreferences: options.webPreferences })
  }
  async loadURL(url) {
    this.webContents.mainFrame.url = url
    report({ loadURL: url })
    this.emit('ready-to-show')
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {}
  isMinimized() {
    return false
  }
  isFocused() {
    return true
  }
  isMaximized() {
    return false
  }
  isDestroyed() {
    return false
  }
  setTitle() {}
  setProgressBar() {}
  getNormalBounds() {
    return { x: 0, y: 0, width: 1000, height: 700 }
  }
}

class App extends EventEmitter {
  isPackaged = false
  userData = process.env.MICRONETES_USER_DATA ?? ''
  requestSingleInstanceLock() {
    return true
  }
  whenReady() {
    return Promise.resolve()
  }
  getAppPath() {
    return new URL('../../..', import.meta.url).pathname
  }
  getPath() {
    return this.userData
  }
  setPath(_name, value) {
    this.userData = value
  }
  quit() {
    let prevented = false
    this.emit('before-quit', { preventDefault: () => (prevented = true) })
    report({ quit: prevented ? 'held' : 'now' })
    if (!prevented) process.exit(0)
  }
  exit(code) {
    report({ exit: code })
    process.exit(code)
  }
}

export const app = new App()
export class Notification extends EventEmitter {
  static isSupported() {
    return false
  }
  show() {}
  close() {}
}
export const ipcMain = { handle() {}, removeHandler() {} }
export const Menu = { buildFromTemplate: (template) => template, setApplicationMenu() {} }
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title, message) => report({ errorBox: `${title}: ${message}` }),
}
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
export const shell = { openExternal: async () => {} }
export const session = {
  defaultSession: { webRequest: { onHeadersReceived() {} }, setPermissionRequestHandler() {}, setPermissionCheckHandler() {} },
}
