// What the File menu's items do: each goes through the same desktop handlers the window's
// IPC uses, so a menu click and a button click reach the core the same way.
import type { ContractHandlers, SessionInfo } from '../../src-shared/contract'
import type { MenuActions } from './menu-template'
import type { RecentFiles } from './recent-files'

export function menuActions(options: {
  handlers: Pick<ContractHandlers, 'openApplication' | 'reloadApplication' | 'closeApplication'>
  recent: Pick<RecentFiles, 'clear'>
  quit(): void
  openInBrowser(): void
  /** examples/app.yaml as shipped, when it exists */
  examplePath?: string
  /** a failure the user must see (a dialog in the app) */
  onError(title: string, message: string): void
  onChange(): void
}): MenuActions & { running: () => Promise<void> } {
  let last: Promise<unknown> = Promise.resolve()
  const run = (title: string, action: () => Promise<SessionInfo> | SessionInfo): void => {
    last = Promise.resolve()
      .then(action)
      .catch((err: unknown) => options.onError(title, err instanceof Error ? err.message : String(err)))
  }
  return {
    open: () => run('Open app.yaml', () => options.handlers.openApplication({})),
    openRecent: (path) => run('Open Recent', () => options.handlers.openApplication({ path })),
    reload: () => run('Reload app.yaml', () => options.handlers.reloadApplication({})),
    close: () => run('Close Application', () => options.handlers.closeApplication({})),
    clearRecent: () => {
      options.recent.clear()
      options.onChange()
    },
    quit: () => options.quit(),
    openInBrowser: () => options.openInBrowser(),
    ...(options.examplePath !== undefined
      ? { openExample: () => run('Open Example Application', () => options.handlers.openApplication({ path: options.examplePath })) }
      : {}),
    /** the last action's completion, for tests and for quitting after it */
    running: () => last.then(() => undefined),
  }
}
