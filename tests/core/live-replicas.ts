// The test oracle for "what is really running": process groups in /proc whose members'
// environment names one of the replicas under test. Read straight from /proc, not through src-main/core/proc,
// so a bug there cannot hide a leak here. Synchronous on purpose: a caller that reads the
// orchestrator's list in the same turn compares two views of one moment.
import { readFileSync, readdirSync } from 'node:fs'

export interface LiveGroup {
  pgid: number
  instance: string
  /** live processes in the group */
  members: number
}

function statOf(pid: string): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '?', ppid: Number(fields[1]), pgrp: Number(fields[2]) }
  } catch {
    return undefined
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))
/** a process inside execve shows an empty environ for an instant; how long to look again */
const EXEC_WAIT_MS = 100

/**
 * A child of this process (a replica being launched) with an empty environ is in the middle of
 * an execve (the launcher becoming the replica's program): wait it out, without yielding, so the
 * caller's two readings still describe one moment of the orchestrator.
 */
function instanceOf(pid: string, ppid?: number): string | undefined {
  const deadline = Date.now() + EXEC_WAIT_MS
  for (;;) {
    let env: string
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'utf8')
    } catch {
      return undefined
    }
    for (const entry of env.split('\0')) if (entry.startsWith('APP_INSTANCE=')) return entry.slice('APP_INSTANCE='.length)
    if (env !== '' || ppid !== process.pid || Date.now() > deadline) return undefined
    Atomics.wait(pause, 0, 0, 1)
  }
}

/**
 * The process groups alive for the given instances, one entry per group: found through any
 * live member, so a group whose leader already exited (a zombie) while a child lingers counts.
 */
export function liveReplicaGroups(isOurs: (instance: string) => boolean): LiveGroup[] {
  const groups = new Map<number, LiveGroup>()
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = statOf(pid)
    if (!stat || stat.state === 'Z') continue
    const group = groups.get(stat.pgrp)
    if (group) {
      group.members++
      continue
    }
    const instance = instanceOf(pid, stat.ppid)
    if (instance !== undefined && isOurs(instance)) groups.set(stat.pgrp, { pgid: stat.pgrp, instance, members: 1 })
  }
  return [...groups.values()]
}

/** every live process (any group member) that carries one of these instances, for cleanup */
export function livePidsOf(isOurs: (instance: string) => boolean): number[] {
  const pids: number[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = statOf(pid)
    if (!stat || stat.state === 'Z') continue
    const instance = instanceOf(pid, stat.ppid)
    if (instance !== undefined && isOurs(instance)) pids.push(Number(pid))
  }
  return pids
}

/** one line on what /proc says of a process, for failure messages */
export function describeProcess(pid: number | undefined): string {
  if (pid === undefined) return 'no pid'
  const stat = statOf(String(pid))
  if (!stat) return `${pid} gone`
  const instance = instanceOf(String(pid))
  return `${pid} state ${stat.state}, group ${stat.pgrp}, ${instance === undefined ? 'no APP_INSTANCE in its environ' : `APP_INSTANCE=${instance}`}`
}
