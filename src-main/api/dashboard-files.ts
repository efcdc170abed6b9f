// The built web dashboard at `/`: files from one folder only, with a strict CSP; any path
// without a file extension gets index.html, so the dashboard's own routes survive a reload.
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ApiError, BASE_HEADERS } from './http-io'

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

const PAGE_HEADERS = { ...BASE_HEADERS, 'Content-Security-Policy': DASHBOARD_CSP, 'X-Frame-Options': 'DENY' }

/** out/renderer of the package this module belongs to, found from source or from the bundle */
export function defaultDashboardDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'micronetes') return join(dir, 'out', 'renderer')
      } catch {
        // an unreadable package.json is not ours; keep looking upward
      }
    }
    const parent = dirname(dir)
    if (parent === dir) return join(process.cwd(), 'out', 'renderer')
    dir = parent
  }
}

function notBuiltPage(dir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Micronetes</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Micronetes</h1>
<p>The web dashboard is not built, so there is nothing to show here (looked in <code>${escapeHtml(dir)}</code>).</p>
<p>Build it with <code>npm run build</code>, then reload. The HTTP API works without it: see <a href="/api/v1">/api/v1</a>.</p>
</body></html>
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** the file a URL path names inside root, or undefined; never a file outside root */
export async function resolveDashboardFile(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    throw new ApiError(400, `malformed path '${pathname}'`)
  }
  if (decoded.includes('\0') || decoded.includes('\\')) throw new ApiError(400, `malformed path '${pathname}'`)
  const rootReal = await realpath(root)
  let candidate = resolve(rootReal, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded))
  if (candidate !== rootReal && !candidate.startsWith(rootReal + sep)) return undefined
  if (!(await isFile(candidate))) {
    if (extname(candidate) !== '') return undefined
    candidate = join(rootReal, 'index.html')
    if (!(await isFile(candidate))) return undefined
  }
  // a symbolic link inside the folder must not lead out of it
  const real = await realpath(candidate)
  return real.startsWith(rootReal + sep) ? real : undefined
}

export async function serveDashboard(req: IncomingMessage, res: ServerResponse, pathname: string, dir: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new ApiError(405, `${req.method} is not allowed on ${pathname}; use GET`, undefined, { Allow: 'GET, HEAD' })
  }
  if (!existsSync(join(dir, 'index.html'))) {
    const page = notBuiltPage(dir)
    res.writeHead(404, { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) })
    res.end(req.method === 'HEAD' ? undefined : page)
    return
  }
  const file = await resolveDashboardFile(dir, pathname)
  if (!file) throw new ApiError(404, `no such file: ${pathname}`)
  const size = (await stat(file)).size
  const hashedAsset = /[-.][A-Za-z0-9_-]{8,}\.(?:js|css|woff2?|svg|png)$/.test(file)
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res)
}
