// Windows runs a batch file (npm.cmd, a project's build.bat) only through cmd.exe, and Node
// refuses to spawn one without a shell. The line cmd.exe is given must keep every argument
// exactly as the service wrote it: each argument is quoted the way the C runtime splits a
// command line, then every character cmd.exe would act on is escaped with ^.

/** characters cmd.exe interprets on a command line, quotes included */
const CMD_SPECIAL = /[()%!^"<>&|]/g

/** one argument as the C runtime's parser reads it back: quoted, backslashes doubled before a quote */
export function quoteArgument(arg: string): string {
  let quoted = '"'
  let backslashes = 0
  for (const char of arg) {
    if (char === '\\') {
      backslashes++
      continue
    }
    // backslashes before a quote escape it: double them, then escape the quote itself
    quoted += char === '"' ? '\\'.repeat(backslashes * 2 + 1) + '"' : '\\'.repeat(backslashes) + char
    backslashes = 0
  }
  // trailing backslashes come before the closing quote: double them so it stays a quote
  return `${quoted}${'\\'.repeat(backslashes * 2)}"`
}

function escapeForCmd(text: string): string {
  return text.replace(CMD_SPECIAL, '^$&')
}

/** the arguments for `cmd.exe` (spawned with windowsVerbatimArguments) that run a batch file with args */
export function batchFileArguments(batchFile: string, args: string[]): string[] {
  const line = [batchFile, ...args].map((arg) => escapeForCmd(quoteArgument(arg))).join(' ')
  // /d: no AutoRun commands from the registry; /s /c "...": run the line between the outer quotes as it is
  return ['/d', '/s', '/c', `"${line}"`]
}

export function isBatchFile(file: string): boolean {
  return /\.(cmd|bat)$/i.test(file)
}
