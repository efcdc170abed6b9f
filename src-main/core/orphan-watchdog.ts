// The orphan watchdog: a program of its own (built to out/helpers/orphan-watchdog.cjs), started
// by OrphanGuard in its own process group so that nothing that kills the orchestrator (SIGKILL,
// a closed terminal, a Ctrl-C) reaches it. It holds the read end of a pipe from the
// orchestrator; when that pipe closes, whatever the reason, it stops every replica still
// registered (everything in its cgroup, or its process tree) and removes every container still
// registered, then exits.
import { request } from 'node:http'
import { rmdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { CgroupContainer } from './containment/cgroup-container'
import { ProcessTreeContainer } from './containment/process-tree-container'
import { stopContainer } from './containment/replica-container'
import { decodeGuardMessage, ORPHAN_GRACE_MS } from './orphan-guard-protocol'
import { ProcessTable } from './process-table'

const KILL_WAIT_MS = 5000
const ENGINE_TIMEOUT_MS = 5000

const replicas = new Map<number, { startTime: number; cgroup?: string }>()
const containers = new Map<string, string>()

function removeContainer(id: string, engine: string): Promise<void> {
  return new Promise((resolve) => {
    const colon = engine.lastIndexOf(':')
    const where = engine.startsWith('unix:') ? { socketPath: engine.slice('unix:'.length) } : { host: engine.slice('tcp:'.length, colon), port: Number(engine.slice(colon + 1)) }
    const req = request({ ...where, method: 'DELETE', path: `/containers/${id}?force=true&v=true`, timeout: ENGINE_TIMEOUT_MS }, (res) => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('error', () => resolve())
    req.on('timeout', () => {
      req.destroy()
      resolve()
    })
    req.end()
  })
}

async function stopReplica(pgid: number, startTime: number, cgroup: string | undefined, graceMs: number, table: ProcessTable): Promise<void> {
  const container = cgroup ? new CgroupContainer(cgroup) : new ProcessTreeContainer(table)
  container.started(pgid, startTime)
  await stopContainer(container, graceMs, KILL_WAIT_MS)
  container.dispose()
  if (cgroup) {
    try {
      // the orchestrator's own cgroup holding its replicas' ones, once the last is gone
      rmdirSync(dirname(cgroup))
    } catch {
      // other replicas' cgroups are still in it
    }
  }
}

let reaping = false
async function reap(graceMs: number): Promise<void> {
  if (reaping) return
  reaping = true
  // the replicas stop together: one reading of /proc a moment answers them all
  const table = new ProcessTable()
  await Promise.all([
    ...[...containers].map(([id, engine]) => removeContainer(id, engine)),
    ...[...replicas].map(([pgid, { startTime, cgroup }]) => stopReplica(pgid, startTime, cgroup, graceMs, table)),
  ])
  process.exit(0)
}

function main(): void {
  const graceMs = Number(process.argv[2]) || ORPHAN_GRACE_MS
  // the orchestrator's death may come with signals meant for its terminal: outlive them
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => {})
  let pending = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => {
    pending += chunk
    let newline: number
    while ((newline = pending.indexOf('\n')) >= 0) {
      const message = decodeGuardMessage(pending.slice(0, newline))
      pending = pending.slice(newline + 1)
      if (message?.op === 'replica') replicas.set(message.pgid, { startTime: message.startTime, cgroup: message.cgroup })
      else if (message?.op === 'forget-replica') replicas.delete(message.pgid)
      else if (message?.op === 'container') containers.set(message.id, message.engine)
      else if (message?.op === 'forget-container') containers.delete(message.id)
    }
  })
  process.stdin.on('end', () => void reap(graceMs))
  process.stdin.on('error', () => void reap(graceMs))
}

main()
