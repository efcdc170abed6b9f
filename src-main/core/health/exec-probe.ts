// A command run for a process replica: healthy when it exits with code 0. It runs where the
// replica runs, with the replica's environment, in its own process group so a timeout takes
// down whatever it started too. (A container replica's handle runs it inside the container.)
import { spawn } from 'node:child_process'
import { signalGroup } from '../proc'
import { seconds, type CheckResult } from './check-result'

export interface ExecTarget {
  command: string[]
  cwd: string | undefined
  env: Record<string, string>
  timeoutMs: number
}

/** the last bit of output is quoted when the command fails: what a person would look at first */
const KEEP_OUTPUT = 200

export function execCheck(target: ExecTarget): Promise<CheckResult> {
  const [file, ...args] = target.command
  const shown = target.command.join(' ')
  return new Promise((resolve) => {
    let output = ''
    let settled = false
    const done = (result: CheckResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    const child = spawn(file!, args, { cwd: target.cwd, env: target.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-KEEP_OUTPUT)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
      done({ ok: false, message: `${shown} did not finish within ${seconds(target.timeoutMs)}` })
    }, target.timeoutMs)
    child.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, message: `${shown} cannot start: ${err.code === 'ENOENT' ? 'not found' : err.message}` }))
    child.on('close', (code, signal) => {
      if (code === 0) return done({ ok: true, message: `${shown} exited with code 0` })
      const said = output.trim().split('\n').pop()?.trim()
      done({ ok: false, message: `${shown} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${said ? `: ${said}` : ''}` })
    })
  })
}
