// Electron's entry point: one instance per user, an app.yaml from the command line (or a
// second launch, or macOS's open-file), then the desktop app.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog } from 'electron'
import { appFileFromArgv, appFileFromLaunchData } from './argv'
import { startDesktopApp, type DesktopApp } from './desktop-app'

const here = dirname(fileURLToPath(import.meta.url))
const paths = {
  preload: join(here, '../preload/index.cjs'),
  indexHtml: join(here, '../renderer/index.html'),
  icon: join(here, '../../resources/icon.png'),
}

// a separate profile (recent files, window state, the single-instance lock) for tests and
// for running two copies side by side
if (process.env.MICRONETES_USER_DATA) app.setPath('userData', process.env.MICRONETES_USER_DATA)

const fileOf = (argv: readonly string[], cwd: string): string | undefined =>
  appFileFromArgv(argv, { defaultApp: process.defaultApp === true, cwd })

const launchFile = fileOf(process.argv, process.cwd())

// the first instance gets the file through 'second-instance' and opens it there; it travels
// as additionalData too, because Chromium may rewrite the argv it forwards
if (!app.requestSingleInstanceLock({ file: launchFile ?? null })) {
  app.quit()
} else {
  let desktop: DesktopApp | undefined
  let pending = launchFile

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const file = appFileFromLaunchData(additionalData) ?? fileOf(argv, workingDirectory)
    if (!desktop) {
      pending = file ?? pending
      return
    }
    desktop.focus()
    if (file) desktop.openFile(file)
  })
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (desktop) desktop.openFile(path)
    else pending = path
  })

  app
    .whenReady()
    .then(() => startDesktopApp(paths))
    .then((started) => {
      desktop = started
      if (pending) started.openFile(pending)
    })
    .catch((err: unknown) => {
      dialog.showErrorBox('Micronetes could not start', err instanceof Error ? err.message : String(err))
      app.exit(1)
    })
}
