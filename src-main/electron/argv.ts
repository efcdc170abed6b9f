// The app.yaml named on a command line: `micronetes-desktop app.yaml` when packaged,
// `electron . app.yaml` in development, and the argv a second launch hands to the first.
import { isAbsolute, resolve } from 'node:path'

export function appFileFromArgv(
  argv: readonly string[],
  options: {
    /** process.defaultApp: true when run as `electron <app> ...`, which adds one argument */
    defaultApp: boolean
    /** relative paths resolve from the folder the launch happened in */
    cwd: string
  },
): string | undefined {
  // Chromium, Electron and test drivers add their own switches, before the app path too
  // (`electron --inspect=0 . app.yaml`): drop them first, then the app path
  const operands = argv.slice(1).filter((arg) => arg.length > 0 && !arg.startsWith('-'))
  if (options.defaultApp) operands.shift()
  const file = operands.at(-1)
  return file === undefined ? undefined : resolve(options.cwd, file)
}

/** the file a second launch sent as the single-instance lock's additionalData */
export function appFileFromLaunchData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const file = (data as { file?: unknown }).file
  // the sender resolved it against its own folder already; anything else is not ours
  return typeof file === 'string' && isAbsolute(file) ? file : undefined
}
