// Files read again each second, kept open and read from their start: one pread instead of
// open, fstat, read and close. /proc and cgroup files give their current content on every
// read from offset 0. A file not read in a turn is closed at its end, so a replica that is
// gone holds nothing; past the bound, files are read the ordinary way.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'

/** open files at most: well under the usual limits, room for 200 replicas and their processes */
const MAX_OPEN = 2000

export class OpenFiles {
  private readonly open = new Map<string, number>()
  private used = new Set<string>()
  private buffer = Buffer.alloc(16 * 1024)

  /** the file's text, or undefined when it is gone (a process that exited, a cgroup removed) */
  read(path: string): string | undefined {
    this.used.add(path)
    let fd = this.open.get(path)
    if (fd === undefined) {
      if (this.open.size >= MAX_OPEN) {
        try {
          return readFileSync(path, 'latin1')
        } catch {
          return undefined
        }
      }
      try {
        fd = openSync(path, 'r')
      } catch {
        return undefined
      }
      this.open.set(path, fd)
    }
    try {
      for (;;) {
        const size = readSync(fd, this.buffer, 0, this.buffer.length, 0)
        // a file larger than the buffer (a long cgroup.procs): a larger one, and read again
        if (size < this.buffer.length) return this.buffer.toString('latin1', 0, size)
        this.buffer = Buffer.alloc(this.buffer.length * 2)
      }
    } catch {
      // ESRCH: the process exited; the file stays useless
      this.forget(path)
      return undefined
    }
  }

  /** closes what was not read since the last call */
  endTurn(): void {
    for (const path of this.open.keys()) if (!this.used.has(path)) this.forget(path)
    this.used = new Set()
  }

  close(): void {
    for (const path of [...this.open.keys()]) this.forget(path)
  }

  private forget(path: string): void {
    const fd = this.open.get(path)
    this.open.delete(path)
    if (fd === undefined) return
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
  }
}
