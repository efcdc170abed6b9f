import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { contentSecurityPolicy } from '../../src-main/electron/content-security'
import { externalLinkOf } from '../../src-main/electron/external-links'
import { guardContents, guardSession, type ContentsLike, type SessionLike } from '../../src-main/electron/window-guards'
import { mainWindowOptions } from '../../src-main/electron/window-options'

const APP_URL = 'file:///opt/micronetes/out/renderer/index.html'

// a WebContents double: its events and the window-open handler it was given
class FakeContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.openHandler = handler
  }
  /** emits like Electron and says whether the page would have navigated */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false
    this.emit(kind, { url, preventDefault: () => (prevented = true) })
    return !prevented
  }
}

function guarded() {
  const contents = new FakeContents()
  const openExternal = vi.fn(async (_url: string) => undefined)
  guardContents(contents as unknown as ContentsLike, { isAppUrl: (url) => url.startsWith(APP_URL), openExternal })
  return { contents, openExternal }
}

describe('the main window', () => {
  it('turns every security switch on and node off', () => {
    const options = mainWindowOptions({ preload: '/app/out/preload/index.cjs', bounds: { width: 900, height: 700 } })
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(options).toMatchObject({ width: 900, height: 700 })
  })

  it('stays on its own page and opens http(s) links in the browser', () => {
    const { contents, openExternal } = guarded()
    expect(contents.navigate('will-navigate', `${APP_URL}#/logs`)).toBe(true)
    expect(contents.navigate('will-navigate', 'https://kubernetes.io/docs/')).toBe(false)
    expect(contents.navigate('will-redirect', 'http://localhost:8000/')).toBe(false)
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false)
    expect(contents.navigate('will-navigate', 'javascript:alert(1)')).toBe(false)
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(['https://kubernetes.io/docs/', 'http://localhost:8000/'])
  })

  it('denies every new window, opening only parsed http(s) links outside', () => {
    const { contents, openExternal } = guarded()
    for (const url of ['https://example.com/a b', 'file:///bin/sh', 'smb://host/share', 'not a url', 'https://user:pw@example.com/']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(['https://example.com/a%20b'])
  })

  it('refuses webviews', () => {
    const { contents } = guarded()
    let prevented = false
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
  })

  it('denies permissions, but clipboard writing to its own page, and sets its CSP on every response', () => {
    let onHeaders: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] | undefined
    let onRequest: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined
    let onCheck: Parameters<SessionLike['setPermissionCheckHandler']>[0] | undefined
    guardSession(
      {
        webRequest: { onHeadersReceived: (listener) => (onHeaders = listener) },
        setPermissionRequestHandler: (handler) => (onRequest = handler),
        setPermissionCheckHandler: (handler) => (onCheck = handler),
      },
      { isAppUrl: (url) => url.startsWith(APP_URL) },
    )
    const own = { requestingUrl: APP_URL }
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const granted = vi.fn()
      onRequest!({}, permission, granted, own)
      expect(granted).toHaveBeenCalledWith(false)
      expect(onCheck!({}, permission, 'file://', own)).toBe(false)
    }
    const copy = vi.fn()
    onRequest!({}, 'clipboard-sanitized-write', copy, own)
    expect(copy).toHaveBeenCalledWith(true)
    expect(onCheck!({}, 'clipboard-sanitized-write', 'file://', own)).toBe(true)
    const foreign = vi.fn()
    onRequest!({}, 'clipboard-sanitized-write', foreign, { requestingUrl: 'https://ads.example/frame.html' })
    expect(foreign).toHaveBeenCalledWith(false)
    expect(onCheck!({}, 'clipboard-sanitized-write', '', {})).toBe(false)
    const callback = vi.fn()
    onHeaders!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } }, callback)
    const headers = callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(headers['content-security-policy']).toBeUndefined()
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy])
    expect(contentSecurityPolicy.startsWith("default-src 'none'")).toBe(true)
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/)
  })

  it('parses links before they leave the app', () => {
    expect(externalLinkOf('https://example.com')).toBe('https://example.com/')
    expect(externalLinkOf('HTTP://EXAMPLE.com/x')).toBe('http://example.com/x')
    expect(externalLinkOf('mailto:a@b.c')).toBeUndefined()
    expect(externalLinkOf('//example.com')).toBeUndefined()
  })
})
