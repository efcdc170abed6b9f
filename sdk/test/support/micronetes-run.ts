import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

import { exited } from './child-process.js'

export const repositoryRoot = join(import.meta.dirname, '..', '..', '..')

/** `micronetes run` on an app.yaml, headless, with its console output collected. */
export class MicronetesRun {
  output = ''
  private readonly child: ChildProcess

  constructor(appYaml: string) {
    this.child = spawn(process.execPath, [join(repositoryRoot, 'bin', 'micronetes.cjs'), 'run', appYaml, '--port', '0', '--no-dashboard'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const keep = (chunk: Buffer) => (this.output += chunk.toString())
    this.child.stdout?.on('data', keep)
    this.child.stderr?.on('data', keep)
  }

  /**
   * Waits for output matching the pattern after the first `from` characters; `end` is where the
   * match ends, for waiting on what comes after it.
   */
  async waitForLine(pattern: RegExp, timeoutMs = 20_000, from = 0): Promise<RegExpMatchArray & { end: number }> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const match = this.output.slice(from).match(pattern)
      if (match) return Object.assign(match, { end: from + (match.index ?? 0) + match[0].length })
      if (exited(this.child)) throw new Error(`micronetes exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output.slice(-3000)}`)
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-3000)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  async apiUrl(): Promise<string> {
    const [, url] = await this.waitForLine(/API server running on (http:\/\/\S+)/)
    return url!
  }

  /** Ctrl-C, as a user stops it: micronetes stops every replica before it exits. */
  async stop(): Promise<void> {
    if (exited(this.child)) return
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGINT')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000)
    await done
    clearTimeout(timer)
  }
}
