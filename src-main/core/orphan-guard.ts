// Replicas run in their own process groups (and cgroups where the machine has them), so nothing
// the kernel does on the orchestrator's death (SIGKILL, a closed terminal) reaches them. The
// orphan watchdog (a program of its own: native/watchdog where it is built, else
// orphan-watchdog.ts on Node, 40 MB resident against 1) holds the read end of a pipe from the
// orchestrator; when that pipe closes, whatever the reason, it stops every replica and
// removes every container still registered. A replica is only signalled while its leader is
// the very process registered (same start time), so a reused pid never hits an unrelated process.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { helperEntry, nativeHelper } from './helper-entry'
import { encodeGuardMessage, ORPHAN_GRACE_MS, type GuardMessage } from './orphan-guard-protocol'
import { hasProc, readStat } from './proc'

export { ORPHAN_GRACE_MS }

/** which watchdog program: the native one where it is built (the default), or the Node one */
export type WatchdogProgram = 'native' | 'node'

export class OrphanGuard {
  private watchdog: ChildProcess | undefined

  constructor(private readonly options: { program?: WatchdogProgram } = {}) {}

  /** the watchdog's pid, once started */
  get pid(): number | undefined {
    return this.watchdog?.pid
  }

  /**
   * Registers a freshly started replica: its leader (a process group and session) and, when it
   * has one, its cgroup. Returns the function that forgets it (call it once the replica is
   * gone). A no-op where /proc is missing: nothing could tell a reused pid from the replica.
   */
  watch(pgid: number, startTime = readStat(pgid)?.startTime, cgroup?: string): () => void {
    if (!hasProc || startTime === undefined) return () => {}
    const stdin = this.ensureWatchdog()
    if (!stdin) return () => {}
    this.send(stdin, { op: 'replica', pgid, startTime, ...(cgroup ? { cgroup } : {}) })
    return () => {
      if (!stdin.destroyed) this.send(stdin, { op: 'forget-replica', pgid })
    }
  }

  /**
   * Registers a container to remove (forced) should the orchestrator die. The engine is
   * `unix:/path/docker.sock` or `tcp:host:port` (plain HTTP); engines reached through TLS or
   * ssh are left to the next start's leftover sweep.
   */
  watchContainer(containerId: string, engine: string): () => void {
    if (!/^[0-9a-f]{12,64}$/.test(containerId) || /\s/.test(engine)) return () => {}
    const stdin = this.ensureWatchdog()
    if (!stdin) return () => {}
    this.send(stdin, { op: 'container', id: containerId, engine })
    return () => {
      if (!stdin.destroyed) this.send(stdin, { op: 'forget-container', id: containerId })
    }
  }

  private corked = false
  private missingTold = false

  /**
   * The registrations of one turn of the event loop go to the watchdog in one write: 200
   * replicas started together made 200 writes, each waking the watchdog up on one of the
   * cores the replicas were starting on. (A tick was too short: each replica is launched from
   * its own callback, as its output channels connect.)
   */
  private send(stdin: Writable, message: GuardMessage): void {
    if (!this.corked) {
      this.corked = true
      stdin.cork()
      setImmediate(() => {
        this.corked = false
        stdin.uncork()
      })
    }
    stdin.write(encodeGuardMessage(message))
  }

  /** what happens when the orchestrator dies: the watchdog stops everything still registered */
  close(): void {
    this.watchdog?.stdin?.end()
    this.watchdog = undefined
  }

  private ensureWatchdog(): Writable | undefined {
    if (this.watchdog?.stdin && !this.watchdog.stdin.destroyed) return this.watchdog.stdin
    const command = this.watchdogCommand()
    if (!command) {
      if (!this.missingTold) process.emitWarning('the orphan watchdog is not built (npm run build): replicas will outlive a killed Micronetes')
      this.missingTold = true
      return undefined
    }
    const child = spawn(command.file, command.args, {
      // its own group: a Ctrl-C at the terminal must not take the watchdog down with us
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // inside Electron, execPath is the Electron binary: make it behave as plain Node
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    })
    child.on('error', () => {
      this.watchdog = undefined
    })
    child.unref()
    const stdin = child.stdin
    if (!stdin) return undefined
    stdin.on('error', () => {})
    // the pipe must not keep the orchestrator's event loop alive
    ;(stdin as unknown as { unref?: () => void }).unref?.()
    this.watchdog = child
    return stdin
  }

  private watchdogCommand(): { file: string; args: string[] } | undefined {
    const grace = String(ORPHAN_GRACE_MS)
    const native = this.options.program === 'node' ? undefined : nativeHelper('micronetes-watchdog')
    if (native) return { file: native, args: [grace] }
    const entry = helperEntry('orphan-watchdog')
    return entry ? { file: process.execPath, args: ['--enable-source-maps', entry, grace] } : undefined
  }
}

/** the watchdog's way to reach an engine, from its DOCKER_HOST-style address; undefined when it cannot */
export function watchdogEngine(address: string): string | undefined {
  if (address.startsWith('unix://')) return `unix:${address.slice('unix://'.length)}`
  const tcp = /^tcp:\/\/([^/:]+|\[[^\]]+\]):(\d+)$/.exec(address)
  if (tcp) return `tcp:${tcp[1]?.replace(/^\[|\]$/g, '')}:${tcp[2]}`
  return undefined
}
