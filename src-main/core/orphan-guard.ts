// Replicas run in their own process groups, so nothing the kernel does on the orchestrator's
// death (SIGKILL, a closed terminal) reaches them. A small watchdog process holds the read
// end of a pipe from the orchestrator; when that pipe closes, whatever the reason, it stops
// every process group still registered and removes every container registered. A group is
// only signalled while its leader is the very process registered (same start time), so a
// reused pid never hits an unrelated process.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Writable } from 'node:stream'
import { hasProc, readStat } from './proc'

/** plain CommonJS for `node -e`: it must run without the bundle */
const WATCHDOG_SOURCE = String.raw`// micronetes orphan guard: stops registered replica groups when its parent is gone
const fs = require('fs')
const http = require('http')
const groups = new Map()
const containers = new Map()
let pending = ''
let reaping = false
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE']) process.on(s, () => {})
function stat(pid) {
  try {
    const t = fs.readFileSync('/proc/' + pid + '/stat', 'utf8')
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ')
    return { pid, state: f[0], pgrp: Number(f[2]), start: Number(f[19]) }
  } catch { return null }
}
function members(pgid) {
  const out = []
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const s = stat(Number(name))
    if (s && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X') out.push(s)
  }
  return out
}
function ours(pgid, start) {
  const live = members(pgid)
  if (live.length === 0) return false
  const leader = live.find((s) => s.pid === pgid)
  if (leader) return leader.start === start
  return live.every((s) => s.start >= start)
}
function signalOurs(signal) {
  let any = false
  for (const [pgid, start] of groups) {
    if (!ours(pgid, start)) { groups.delete(pgid); continue }
    any = true
    try { process.kill(-pgid, signal) } catch {}
  }
  return any
}
function removeContainer(id, engine) {
  return new Promise((resolve) => {
    const where = engine.startsWith('unix:') ? { socketPath: engine.slice(5) } : { host: engine.slice(4, engine.lastIndexOf(':')), port: Number(engine.slice(engine.lastIndexOf(':') + 1)) }
    const req = http.request({ ...where, method: 'DELETE', path: '/containers/' + id + '?force=true&v=true', timeout: 5000 }, (res) => { res.resume(); res.on('end', resolve) })
    req.on('error', resolve)
    req.on('timeout', () => { req.destroy(); resolve() })
    req.end()
  })
}
function reap() {
  if (reaping) return
  reaping = true
  const removals = Promise.all([...containers].map(([id, engine]) => removeContainer(id, engine)))
  const groupsGone = new Promise((resolve) => {
    if (!signalOurs('SIGTERM')) return resolve()
    const deadline = Date.now() + Number(process.argv[1] || 2000)
    const timer = setInterval(() => {
      if (Date.now() < deadline && signalOurs(0)) return
      signalOurs('SIGKILL')
      clearInterval(timer)
      resolve()
    }, 100)
  })
  Promise.all([removals, groupsGone]).then(() => process.exit(0))
}
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  pending += chunk
  let nl
  while ((nl = pending.indexOf('\n')) >= 0) {
    const [op, pgid, start] = pending.slice(0, nl).split(' ')
    pending = pending.slice(nl + 1)
    if (op === '+') groups.set(Number(pgid), Number(start))
    else if (op === '-') groups.delete(Number(pgid))
    else if (op === '+c') containers.set(pgid, start)
    else if (op === '-c') containers.delete(pgid)
  }
})
process.stdin.on('end', reap)
process.stdin.on('error', reap)
`

export const ORPHAN_GRACE_MS = 2000

export class OrphanGuard {
  private watchdog: ChildProcess | undefined

  /** the watchdog's pid, once started */
  get pid(): number | undefined {
    return this.watchdog?.pid
  }

  /**
   * Registers a freshly started process group; returns the function that forgets it
   * (call it once the group is gone). A no-op where /proc is missing.
   */
  watch(pgid: number, startTime = readStat(pgid)?.startTime): () => void {
    if (!hasProc || startTime === undefined) return () => {}
    const stdin = this.ensureWatchdog()
    if (!stdin) return () => {}
    this.send(stdin, `+ ${pgid} ${startTime}\n`)
    return () => {
      if (!stdin.destroyed) this.send(stdin, `- ${pgid}\n`)
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
    this.send(stdin, `+c ${containerId} ${engine}\n`)
    return () => {
      if (!stdin.destroyed) this.send(stdin, `-c ${containerId}\n`)
    }
  }

  private corked = false

  /**
   * The registrations of one tick go to the watchdog in one write: 200 replicas started
   * together made 200 writes, each waking the watchdog up on one of the cores the replicas
   * were starting on.
   */
  private send(stdin: Writable, line: string): void {
    if (!this.corked) {
      this.corked = true
      stdin.cork()
      process.nextTick(() => {
        this.corked = false
        stdin.uncork()
      })
    }
    stdin.write(line)
  }

  /** what happens when the orchestrator dies: the watchdog stops everything still registered */
  close(): void {
    this.watchdog?.stdin?.end()
    this.watchdog = undefined
  }

  private ensureWatchdog(): Writable | undefined {
    if (this.watchdog?.stdin && !this.watchdog.stdin.destroyed) return this.watchdog.stdin
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(ORPHAN_GRACE_MS)], {
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
}

/** the watchdog's way to reach an engine, from its DOCKER_HOST-style address; undefined when it cannot */
export function watchdogEngine(address: string): string | undefined {
  if (address.startsWith('unix://')) return `unix:${address.slice('unix://'.length)}`
  const tcp = /^tcp:\/\/([^/:]+|\[[^\]]+\]):(\d+)$/.exec(address)
  if (tcp) return `tcp:${tcp[1]?.replace(/^\[|\]$/g, '')}:${tcp[2]}`
  return undefined
}

/** one watchdog per orchestrator process */
export const orphanGuard = new OrphanGuard()
