// Who holds a TCP port, as far as the OS tells: on Linux the listening socket's inode from
// /proc/net/tcp{,6}, then the process whose fd points at that socket. Processes of other
// users cannot be inspected without privileges; then the answer is simply unknown.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { commandLineOf, listPids } from './proc'

export interface PortOwner {
  pid: number
  commandLine?: string
}

const TCP_LISTEN = '0A'

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/)
      const local = cols[1]
      if (!local || cols[3] !== TCP_LISTEN) continue
      const portHex = local.slice(local.lastIndexOf(':') + 1)
      if (parseInt(portHex, 16) === port && cols[9]) inodes.add(cols[9])
    }
  }
  return inodes
}

export function findPortOwner(port: number): PortOwner | undefined {
  if (process.platform !== 'linux') return undefined
  const inodes = listeningInodes(port)
  if (inodes.size === 0) return undefined
  for (const pid of listPids()) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      const match = /^socket:\[(\d+)\]$/.exec(target)
      if (match && inodes.has(match[1] ?? '')) {
        const commandLine = commandLineOf(pid)
        return commandLine === undefined ? { pid } : { pid, commandLine }
      }
    }
  }
  return undefined
}
