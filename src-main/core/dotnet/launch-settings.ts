// What Tye reads from a .NET project's Properties/launchSettings.json when tye.yaml gives the
// project no bindings: the first profile that runs the project, its applicationUrl as the
// bindings (https://localhost:5001;http://localhost:5000) and its environmentVariables.
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Binding, EnvVar } from '../../../src-shared/app-model'

export type LaunchSettings = { found: false } | { found: true; file: string; bindings: Binding[]; env: EnvVar[] } | { found: true; file: string; error: string }

interface Profile {
  commandName?: unknown
  applicationUrl?: unknown
  environmentVariables?: unknown
}

const MAX_BYTES = 256 * 1024

export function launchSettingsOf(projectFile: string): LaunchSettings {
  const file = join(dirname(projectFile), 'Properties', 'launchSettings.json')
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat?.isFile()) return { found: false }
  if (stat.size > MAX_BYTES) return { found: true, file, error: 'is larger than 256 KiB' }
  let parsed: unknown
  try {
    // Visual Studio writes a byte order mark at times
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
  } catch (error) {
    return { found: true, file, error: `is not valid JSON: ${(error as Error).message}` }
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles
  if (profiles === null || typeof profiles !== 'object') return { found: true, file, bindings: [], env: [] }
  const profile = Object.values(profiles as Record<string, Profile>).find((p) => p !== null && typeof p === 'object' && p.commandName === 'Project')
  if (!profile) return { found: true, file, bindings: [], env: [] }

  const bindings: Binding[] = []
  const urls = typeof profile.applicationUrl === 'string' ? profile.applicationUrl.split(';').map((u) => u.trim()).filter((u) => u !== '') : []
  for (const text of urls) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return { found: true, file, error: `has an applicationUrl that is not a URL: "${text}"` }
    }
    const protocol = url.protocol.replace(/:$/, '')
    const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port)
    // named after their scheme when there are several, as Tye names them
    const taken = bindings.filter((b) => b.protocol === protocol).length
    const name = urls.length > 1 ? (taken === 0 ? protocol : `${protocol}-${taken + 1}`) : undefined
    bindings.push({ ...(name !== undefined ? { name } : {}), port, host: 'localhost', protocol })
  }
  const variables = profile.environmentVariables
  const env: EnvVar[] =
    variables !== null && typeof variables === 'object'
      ? Object.entries(variables as Record<string, unknown>).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)).map(([name, value]) => ({ name, value: String(value) }))
      : []
  return { found: true, file, bindings, env }
}
