// The Content-Security-Policy of the dashboard inside Electron, sent as a response header
// as well as the renderer's <meta>: the header also covers responses the meta cannot.
// xterm injects <style> elements for its themes, hence 'unsafe-inline' for styles only.
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

export type ResponseHeaders = Record<string, string | string[]>

/** the response headers with ours set, replacing any CSP a server sent */
export function withSecurityHeaders(headers: ResponseHeaders | undefined): ResponseHeaders {
  const result: ResponseHeaders = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value
  }
  result['Content-Security-Policy'] = [contentSecurityPolicy]
  result['X-Content-Type-Options'] = ['nosniff']
  return result
}
