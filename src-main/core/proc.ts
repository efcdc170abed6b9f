// What Linux's /proc says about processes: state, process group, start time. Elsewhere these
// answer "unknown" and callers fall back to what process.kill can tell.
// A reading of the whole table, shared by groups stopping together: process-table.ts.
import { readFileSync, readdirSync } from 'node:fs'

export interface ProcStat {
  pid: number
  /** R, S, D, Z, T, ... */
  state: string
  ppid: number
  pgrp: number
  /** the session: a process that calls setsid() leaves its group and its session */
  session: number
  /** clock ticks after boot: with the pid, names one process for good (pids are reused) */
  startTime: number
}

export const hasProc = process.platform === 'linux'

export function readStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // the command name (field 2) may hold spaces and parentheses: parse after its last ')'
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ')
  const state = fields[0] ?? '?'
  return {
    pid,
    state,
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    session: Number(fields[3]),
    startTime: Number(fields[19]),
  }
}

export function listPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
}

/** whether a process is alive and not a zombie */
export function processAlive(pid: number): boolean {
  if (hasProc) {
    const stat = readStat(pid)
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function commandLineOf(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const text = raw.split('\0').filter(Boolean).join(' ')
    return text || undefined
  } catch {
    return undefined
  }
}

/** signal each of these processes; false when every one was already gone */
export function signalEach(pids: Iterable<number>, signal: NodeJS.Signals): boolean {
  let any = false
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
      any = true
    } catch {
      // gone meanwhile
    }
  }
  return any
}

/** signal a whole group; false when it is already gone */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}
