export interface ServiceReference {
  service: string
  binding?: string
}

/** Accepts ('web'), ('web', 'management') and ('web:management'); names compare case-insensitively. */
export function parseServiceReference(name: string, binding?: string): ServiceReference {
  const trimmed = name.trim()
  if (trimmed === '') throw new TypeError('A service name is required (got an empty string).')
  const colon = trimmed.indexOf(':')
  if (colon >= 0) {
    if (binding !== undefined) {
      throw new TypeError(`Give the binding either in the name ('${trimmed}') or as the second argument ('${binding}'), not both.`)
    }
    const service = trimmed.slice(0, colon)
    const named = trimmed.slice(colon + 1)
    if (service === '' || named === '' || named.includes(':')) {
      throw new TypeError(`'${trimmed}' is not a service reference: use 'service' or 'service:binding'.`)
    }
    return { service: service.toLowerCase(), binding: named.toLowerCase() }
  }
  const named = binding?.trim()
  return named ? { service: trimmed.toLowerCase(), binding: named.toLowerCase() } : { service: trimmed.toLowerCase() }
}
