// Configuration keys follow .NET's IConfiguration: `__` in an environment variable name is a
// section separator (`:`), and keys compare case-insensitively. So SERVICE__WEB__PORT is read as
// `service:web:port`, the same key a .NET service of the same application would use.

export type EnvironmentSource = Readonly<Record<string, string | undefined>>

function normalizeKey(key: string): string {
  return key.trim().replaceAll('__', ':').toLowerCase()
}

export class Configuration {
  private readonly values = new Map<string, string>()

  constructor(source: EnvironmentSource) {
    for (const [name, value] of Object.entries(source)) {
      if (value !== undefined) this.values.set(normalizeKey(name), value)
    }
  }

  /** The value of a key such as `service:web:port` (any case), or undefined. */
  get(key: string): string | undefined {
    return this.values.get(normalizeKey(key))
  }

  has(key: string): boolean {
    return this.values.has(normalizeKey(key))
  }

  /** Every key, lower-cased, in `section:sub:key` form. */
  keys(): string[] {
    return [...this.values.keys()]
  }

  /**
   * The distinct names directly under a section, lower-cased, like .NET's GetChildren():
   * children('service') lists every service that has a binding variable.
   */
  children(section: string): string[] {
    const prefix = `${normalizeKey(section)}:`
    const names = new Set<string>()
    for (const key of this.values.keys()) {
      if (!key.startsWith(prefix)) continue
      const name = key.slice(prefix.length).split(':')[0]
      if (name) names.add(name)
    }
    return [...names]
  }
}

/** The configuration of this process, read from its environment (process.env unless given). */
export function configuration(source: EnvironmentSource = process.env): Configuration {
  return new Configuration(source)
}
