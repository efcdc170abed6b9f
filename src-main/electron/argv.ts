// The app.yaml named on a command line: `micronetes-desktop app.yaml` when packaged,
// `electron . app.yaml` in development, and the argv a second launch hands to the first.
import { resolve } from 'node:path'

export function appFileFromArgv(
  argv: readonly string[],
  options: {
    /** process.defaultApp: true when run as `electron <app> ...`, which adds one argument */
    defaultApp: boolean
    /** relative paths resolve from the folder the launch happened in */
    cwd: string
  },
): string | undefined {
  // Chromium and Electron add their own switches (--allow-file-access-from-files, ...)
  const operands = argv.slice(options.defaultApp ? 2 : 1).filter((arg) => arg.length > 0 && !arg.startsWith('-'))
  const file = operands.at(-1)
  return file === undefined ? undefined : resolve(options.cwd, file)
}
