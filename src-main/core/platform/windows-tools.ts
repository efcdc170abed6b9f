// The real WindowsTools: taskkill from the system, liveness from process.kill(pid, 0).
import { execFile } from 'node:child_process'
import type { WindowsTools } from './windows-tree-container'

export function windowsTools(env: NodeJS.ProcessEnv = process.env): WindowsTools {
  return {
    comSpec: env.ComSpec ?? env.COMSPEC ?? 'cmd.exe',
    run(file, args) {
      return new Promise((resolve) => {
        const child = execFile(file, args, { windowsHide: true }, () => undefined)
        child.once('error', () => resolve(null))
        child.once('exit', (code) => resolve(code))
      })
    },
    alive(pid) {
      try {
        process.kill(pid, 0)
        return true
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM'
      }
    },
  }
}
