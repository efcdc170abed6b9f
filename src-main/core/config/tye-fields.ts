// What Project Tye's spellings mean once loaded: Windows-style relative paths, the protocols
// and container ports Tye infers for a binding, and its dotenv files. build-service.ts calls
// these; keeping them here keeps the Tye rules in one place.
import { isAbsolute } from 'node:path'

/**
 * Tye's own examples write `project: Web\Web.csproj`, and Tye reads that on every OS. A `\` in
 * a relative path is a separator here too; an absolute Windows path (C:\, \\server) is left
 * for Windows to read.
 */
export function localPath(written: string): string {
  if (!written.includes('\\') || /^[A-Za-z]:[\\/]/.test(written) || written.startsWith('\\\\') || isAbsolute(written)) return written
  return written.replaceAll('\\', '/')
}

/** images whose protocol and port are known without being told (matched on the image's own name) */
const WELL_KNOWN_IMAGES: Record<string, { protocol: string; containerPort: number }> = {
  redis: { protocol: 'redis', containerPort: 6379 },
  postgres: { protocol: 'postgres', containerPort: 5432 },
  mongo: { protocol: 'mongodb', containerPort: 27017 },
  rabbitmq: { protocol: 'rabbitmq', containerPort: 5672 },
}

/** `redis`, `library/redis:7`, `docker.io/library/postgres:16-alpine`, `rabbitmq:3-management` */
export function wellKnownImage(image: string | undefined): { protocol: string; containerPort: number } | undefined {
  if (image === undefined) return undefined
  const withoutDigest = image.split('@')[0] ?? image
  const last = withoutDigest.split('/').at(-1) ?? withoutDigest
  return WELL_KNOWN_IMAGES[last.split(':')[0] ?? last]
}

/** the scheme of a connection string written as a URL (`redis://${host}:${port}`), lower case */
export function connectionStringScheme(connectionString: string | undefined): string | undefined {
  const match = connectionString === undefined ? null : /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(connectionString)
  return match?.[1]?.toLowerCase()
}

/**
 * A binding's protocol when the file names none: the scheme of its connection string, else
 * the protocol of a well-known image, else http, as Tye does.
 */
export function inferredProtocol(written: string | undefined, connectionString: string | undefined, image: string | undefined): string {
  return written ?? connectionStringScheme(connectionString) ?? wellKnownImage(image)?.protocol ?? 'http'
}

/**
 * The port inside a container when the binding names none: Tye publishes http on 80 and https
 * on 443; a well-known image listens on its own port.
 */
export function defaultContainerPort(protocol: string, image: string | undefined): number | undefined {
  const known = wellKnownImage(image)
  if (known && known.protocol === protocol) return known.containerPort
  if (protocol === 'http') return 80
  if (protocol === 'https') return 443
  return undefined
}

/** dockerFileArgs as Tye writes them (a list of `ARG: value` maps) or as a map, or `ARG=value` strings */
export function dockerBuildArgs(raw: unknown, at: (rest: (string | number)[], message: string) => void): { name: string; value: string }[] {
  const args: { name: string; value: string }[] = []
  const seen = new Set<string>()
  const add = (name: string, value: unknown, rest: (string | number)[]) => {
    if (seen.has(name)) at(rest, `build argument "${name}" is given twice`)
    seen.add(name)
    args.push({ name, value: String(value) })
  }
  const fromMap = (map: Record<string, unknown>, rest: (string | number)[]) => {
    for (const [name, value] of Object.entries(map)) add(name, value, [...rest, name])
  }
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, j) => {
      if (typeof item === 'string') {
        const eq = item.indexOf('=')
        if (eq <= 0) at([j], `"${item}" must be ARG=value, or a map ARG: value`)
        else add(item.slice(0, eq), item.slice(eq + 1), [j])
      } else if (item !== null && typeof item === 'object') {
        fromMap(item as Record<string, unknown>, [j])
      }
    })
  } else if (raw !== null && typeof raw === 'object') {
    fromMap(raw as Record<string, unknown>, [])
  }
  return args
}

/** Tye names a built image after its service; a prefix keeps it off a real image of that name */
export function builtImageName(service: string): string {
  return `micronetes-build/${service}:latest`
}
