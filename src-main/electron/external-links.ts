// A link the dashboard asks to open leaves the app only as a well-formed http(s) URL, handed
// to the system browser. Anything else (file:, javascript:, custom schemes) goes nowhere.
export function externalLinkOf(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
  if (parsed.username || parsed.password) return undefined
  return parsed.href
}
