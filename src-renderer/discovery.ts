// Which of a replica's environment variables Micronetes injected for service discovery
// (see DESIGN.md: SERVICE__S__*, S_SERVICE_*, CONNECTIONSTRINGS__S, PORT, APP_INSTANCE, ...).
const DISCOVERY = [
  /^SERVICE__[A-Z0-9_-]+__(?:[A-Z0-9_-]+__)?(?:HOST|PORT|PROTOCOL)$/i,
  /^[A-Z0-9_]+_SERVICE_(?:HOST|PORT|PROTOCOL)$/i,
  /^CONNECTIONSTRINGS__[A-Z0-9_-]+(?:__[A-Z0-9_-]+)?$/i,
  /^(?:PORT|APP_INSTANCE|ASPNETCORE_URLS)$/,
]

export function isDiscoveryVariable(name: string): boolean {
  return DISCOVERY.some((pattern) => pattern.test(name))
}
