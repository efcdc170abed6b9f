// Finds the file a command name means, the way the system's own launcher would: on POSIX
// execvp's rules (a name with a slash is a path from the working directory, else the first
// executable file in PATH); on Windows, PATH and PATHEXT (npm means npm.cmd). Resolving before
// spawning gives one clear error for a missing or non-executable program whatever the replica is
// started through (a cgroup launcher, cmd.exe).
import { accessSync, constants, statSync } from 'node:fs'
import { posix, win32 } from 'node:path'

export interface FileSystemProbe {
  /** 'file' for a regular file, 'executable' for one this user may run, undefined when missing */
  kind(path: string): 'file' | 'executable' | undefined
}

export const realFiles: FileSystemProbe = {
  kind(path) {
    try {
      if (!statSync(path).isFile()) return undefined
    } catch {
      return undefined
    }
    try {
      accessSync(path, constants.X_OK)
      return 'executable'
    } catch {
      return 'file'
    }
  },
}

export class CommandNotRunnable extends Error {
  constructor(
    readonly command: string,
    readonly code: 'ENOENT' | 'EACCES',
  ) {
    super(
      code === 'ENOENT'
        ? `cannot start ${JSON.stringify(command)}: not found (is it installed and on PATH?)`
        : `cannot start ${JSON.stringify(command)}: permission denied (is it executable?)`,
    )
  }
}

/** PATH is spelled Path on Windows; environment names are case-insensitive there */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name]
  const key = Object.keys(env).find((k) => k.toUpperCase() === name)
  return key === undefined ? undefined : env[key]
}

export interface ResolveOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  files?: FileSystemProbe
}

export function resolveCommand(command: string, options: ResolveOptions): string {
  const platform = options.platform ?? process.platform
  const files = options.files ?? realFiles
  if (platform === 'win32') return resolveWindows(command, options.cwd, options.env, files)
  const path = posix
  if (command.includes('/')) {
    const full = path.resolve(options.cwd, command)
    const kind = files.kind(full)
    if (kind === 'executable') return full
    throw new CommandNotRunnable(command, kind ? 'EACCES' : 'ENOENT')
  }
  // execvp's default search path when PATH is unset
  const dirs = (envValue(options.env, 'PATH', platform) ?? '/usr/local/bin:/usr/bin:/bin').split(':')
  let denied = false
  for (const dir of dirs) {
    const full = path.resolve(options.cwd, dir || '.', command)
    const kind = files.kind(full)
    if (kind === 'executable') return full
    if (kind === 'file') denied = true
  }
  throw new CommandNotRunnable(command, denied ? 'EACCES' : 'ENOENT')
}

function resolveWindows(command: string, cwd: string, env: NodeJS.ProcessEnv, files: FileSystemProbe): string {
  const path = win32
  const extensions = (envValue(env, 'PATHEXT', 'win32') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
  // a name that already has one of the extensions is tried as it is first, as cmd.exe does
  const candidates = (base: string): string[] => {
    const own = extensions.some((ext) => base.toUpperCase().endsWith(ext.toUpperCase())) ? [base] : []
    return [...own, ...extensions.map((ext) => base + ext.toLowerCase())]
  }
  const hasDir = /[\\/]/.test(command)
  const dirs = hasDir ? [cwd] : [cwd, ...(envValue(env, 'PATH', 'win32') ?? '').split(';').filter(Boolean)]
  for (const dir of dirs) {
    for (const candidate of candidates(path.resolve(dir, command))) {
      if (files.kind(candidate)) return candidate
    }
  }
  throw new CommandNotRunnable(command, 'ENOENT')
}
