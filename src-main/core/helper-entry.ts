// Where the helper programs Micronetes starts beside itself are. Script helpers (built by
// scripts/build-helpers.mjs): out/helpers/<name>.cjs beside the bundle that runs (out/cli,
// out/main, also inside the desktop app's archive). Native ones (scripts/build-relay.mjs):
// out/native/<name>, or the desktop app's resources/native. From the sources (tests, the
// bench), the project's out/ folder.
import { accessSync, constants, existsSync } from 'node:fs'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'

function candidates(folder: string, file: string): string[] {
  const here = dirname(fileURLToPath(import.meta.url))
  const list = [join(here, '..', folder, file)]
  for (let dir = here; dir !== parse(dir).root; dir = dirname(dir)) list.push(join(dir, 'out', folder, file))
  return list
}

/** the built script of a helper program, e.g. 'orphan-watchdog'; undefined when not built */
export function helperEntry(name: string): string | undefined {
  return candidates('helpers', `${name}.cjs`).find((path) => existsSync(path))
}

/** whether this user may run the file at `path` */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** a native helper program, e.g. 'micronetes-launch'; undefined when not built (not Linux, no compiler) */
export function nativeHelper(file: string): string | undefined {
  const list = candidates('native', file)
  // the desktop app's resources (electron-builder's extraResources); a Node global in Electron
  const resources = (process as { resourcesPath?: string }).resourcesPath
  if (resources) list.unshift(join(resources, 'native', file))
  return list.find(isExecutable)
}
