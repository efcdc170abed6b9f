// What the dashboard's WebContents and its session may do: stay on the app's own page, open
// no windows, attach no webviews, get no permissions, and carry our CSP on every response.
// The functions take Electron's objects as parameters so the tests can hand in a double.
import { withSecurityHeaders, type ResponseHeaders } from './content-security'
import { externalLinkOf } from './external-links'

interface PreventableEvent {
  preventDefault(): void
}

export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void
}

export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: ResponseHeaders },
        callback: (response: { responseHeaders?: ResponseHeaders; cancel?: boolean }) => void,
      ) => void,
    ): void
  }
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, origin: string, details: { requestingUrl?: string }) => boolean): void
}

/** the one permission the dashboard uses: writing to the clipboard (its Copy buttons) */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

export function guardContents(
  contents: ContentsLike,
  options: { isAppUrl(url: string): boolean; openExternal(url: string): unknown },
): void {
  const openOutside = (url: string): void => {
    const link = externalLinkOf(url)
    if (link) void Promise.resolve(options.openExternal(link)).catch(() => undefined)
  }
  const stayHome = (event: PreventableEvent & { url: string }): void => {
    if (options.isAppUrl(event.url)) return
    event.preventDefault()
    openOutside(event.url)
  }
  contents.on('will-navigate', stayHome)
  contents.on('will-redirect', stayHome)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
}

export function guardSession(session: SessionLike, options: { isAppUrl(url: string): boolean }): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) })
  })
  // the dashboard needs no camera, notifications, clipboard reading or anything else; its
  // own page may write to the clipboard, nothing else may
  const allowed = (permission: string, url: string | undefined): boolean =>
    ALLOWED_PERMISSIONS.has(permission) && url !== undefined && options.isAppUrl(url)
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details.requestingUrl)))
  session.setPermissionCheckHandler((_contents, permission, _origin, details) => allowed(permission, details.requestingUrl))
}
