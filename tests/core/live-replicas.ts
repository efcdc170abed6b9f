// The test oracle for "what is really running": process groups in /proc whose members'
// environment names one of the replicas under test. Read straight from /proc, not through src-main/core/proc,
// so a bug there cannot hide a leak here. Synchronous on purpose: a caller that reads the
// orchestrator's list in the same turn compares two views of one moment.
import { readFileSync, readdirSync } from 'node:fs'

export interface LiveGroup {
  pgid: number
  instance: string
}

function statOf(pid: string): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '?', pgrp: Number(fields[2]) }
  } catch {
    return undefined
  }
}

function instanceOf(pid: string): string | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8')
    for (const entry of env.split('\0')) if (entry.startsWith('APP_INSTANCE=')) return entry.slice('APP_INSTANCE='.length)
  } catch {
    // gone meanwhile
  }
  return undefined
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
    if (!stat || stat.state === 'Z' || groups.has(stat.pgrp)) continue
    const instance = instanceOf(pid)
    if (instance !== undefined && isOurs(instance)) groups.set(stat.pgrp, { pgid: stat.pgrp, instance })
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
    const instance = instanceOf(pid)
    if (instance !== undefined && isOurs(instance)) pids.push(Number(pid))
  }
  return pids
}
