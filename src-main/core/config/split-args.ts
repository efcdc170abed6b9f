// Splits an args string into words the way a POSIX shell would, and does nothing else: no
// variables, globs, redirections or pipes, because the program is started directly, never
// through a shell. (shell-quote would rewrite `${X}` to `$X` and turn `>` into an operator.)

export type SplitResult = { ok: true; args: string[] } | { ok: false; message: string }

export function splitArgs(line: string): SplitResult {
  const args: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i]
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) args.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) return { ok: false, message: `the ${quote === '"' ? 'double' : 'single'} quote (${quote}) is never closed` }
  if (inWord) args.push(word)
  return { ok: true, args }
}
