// Whether a command name (no folder in it) would be found on PATH when a replica starts: an
// executable file in one of PATH's folders. On Windows, spawn() (libuv) also tries the name
// with .com and .exe appended, so this does too.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export function isOnPath(name: string, pathVariable: string | undefined, platform: NodeJS.Platform = process.platform): boolean {
  const endings = platform === 'win32' ? ['', '.com', '.exe'] : ['']
  for (const folder of (pathVariable ?? '').split(delimiter)) {
    if (folder === '') continue
    for (const ending of endings) if (isExecutableFile(join(folder, name + ending))) return true
  }
  return false
}

function isExecutableFile(path: string): boolean {
  if (!(statSync(path, { throwIfNoEntry: false })?.isFile() ?? false)) return false
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
