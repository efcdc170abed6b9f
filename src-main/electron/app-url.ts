// Which URLs are the app's own dashboard: the built index.html on disk, or the dev server
// electron-vite points ELECTRON_RENDERER_URL at. Everything else is foreign.
import { pathToFileURL } from 'node:url'

export interface AppLocation {
  /** what the window loads */
  url: string
  isAppUrl(url: string): boolean
}

export function appLocation(options: { indexHtml: string; devServerUrl?: string }): AppLocation {
  if (options.devServerUrl) {
    const origin = new URL(options.devServerUrl).origin
    return { url: options.devServerUrl, isAppUrl: (url) => originOf(url) === origin }
  }
  const index = pathToFileURL(options.indexHtml)
  return {
    url: index.href,
    isAppUrl(url) {
      const parsed = parse(url)
      // the dashboard may use a #fragment for its own navigation; the file itself must match
      return parsed !== undefined && parsed.protocol === 'file:' && parsed.pathname === index.pathname
    },
  }
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

function originOf(url: string): string | undefined {
  const parsed = parse(url)
  return parsed && parsed.origin !== 'null' ? parsed.origin : undefined
}
