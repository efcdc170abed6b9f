// Where the native relay (native/relay, built by scripts/build-relay.mjs) is: beside the bundle
// that runs (out/cli, out/main), in the desktop app's resources, or in the project's out/native
// for the sources and the bench. Linux only: elsewhere the proxy runs on Node (proxy-host.ts).
import { accessSync, constants } from 'node:fs'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'

export const RELAY_FILE = 'micronetes-relay'

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function candidates(): string[] {
  const list: string[] = []
  // the desktop app's resources (electron-builder's extraResources); a Node global in Electron
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources) list.push(join(resources, 'native', RELAY_FILE))
  const here = dirname(fileURLToPath(import.meta.url))
  list.push(join(here, '..', 'native', RELAY_FILE))
  for (let dir = here; dir !== parse(dir).root; dir = dirname(dir)) list.push(join(dir, 'out', 'native', RELAY_FILE))
  return list
}

let found: string | null | undefined

/** the relay's path, or undefined where there is none (not Linux, not built) */
export function relayBinary(): string | undefined {
  const override = process.env.MICRONETES_RELAY_PATH
  if (override) return executable(override) ? override : undefined
  if (process.platform !== 'linux') return undefined
  found ??= candidates().find(executable) ?? null
  return found ?? undefined
}
