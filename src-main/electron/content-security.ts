// The Content-Security-Policy of the dashboard inside Electron, sent as a response header
// as well as the renderer's <meta> (the same rules, so neither loosens the other): the
// header covers what a meta cannot (frame-ancestors) and any page served over http.
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
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
