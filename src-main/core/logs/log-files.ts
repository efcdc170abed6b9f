// `micronetes run --log-dir DIR`: each replica's output in a file of its own, DIR/<replica>.log,
// every line stamped with its time and stream. A file that reaches the size cap is rotated
// (<replica>.log.1, .2, ...; the oldest beyond `keep` is deleted), so a flooding replica
// never fills the disk. Writes are buffered streams: a disk slower than the replica costs
// lines (counted in the file), never the orchestrator's event loop.
import { createWriteStream, mkdirSync, openSync, renameSync, rmSync } from 'node:fs'
import { Writable } from 'node:stream'
import { join } from 'node:path'
import type { LogLine } from '../../../src-shared/status'
import type { LogRun } from './log-run'

export interface LogFileOptions {
  /** bytes a file may hold before it is rotated (default 10 MiB) */
  maxBytes?: number
  /** rotated files kept beside the current one (default 3) */
  keep?: number
}

export const DEFAULT_LOG_FILE_BYTES = 10 * 1024 * 1024
/** bytes queued for one file before lines are dropped instead */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024

interface ReplicaFile {
  path: string
  stream: Writable
  written: number
  dropped: number
}

export class ReplicaLogFiles {
  private readonly files = new Map<string, ReplicaFile>()
  private readonly maxBytes: number
  private readonly keep: number

  constructor(
    readonly dir: string,
    options: LogFileOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_FILE_BYTES
    this.keep = options.keep ?? 3
    mkdirSync(dir, { recursive: true })
  }

  line(line: LogLine): void {
    this.write(line.replica, `${new Date(line.time).toISOString()} ${line.stream} ${line.text}\n`)
  }

  run(run: LogRun): void {
    const stamp = `${new Date(run.time).toISOString()} ${run.stream} `
    let start = 0
    let text = ''
    for (let i = 0; i < run.ends.length; i++) {
      const end = run.ends[i]!
      text += stamp + run.bytes.toString('utf8', start, end) + '\n'
      start = end + 1
    }
    this.write(run.replica, text)
  }

  async close(): Promise<void> {
    const streams = [...this.files.values()].map((f) => f.stream)
    this.files.clear()
    await Promise.all(streams.map((s) => new Promise<void>((resolve) => s.end(resolve))))
  }

  private write(replica: string, text: string): void {
    const file = this.fileOf(replica)
    if (file.stream.writableLength > MAX_QUEUED_BYTES) {
      file.dropped += text.split('\n').length - 1
      return
    }
    if (file.dropped > 0) {
      text = `${new Date().toISOString()} system … ${file.dropped} lines not written (the disk was slower than the replica)\n${text}`
      file.dropped = 0
    }
    // a run of lines can be larger than what is left of the file, or than a whole file: it is
    // cut at line ends, so that no file grows past the cap (a single longer line has a file alone)
    let rest = Buffer.from(text)
    while (rest.length > 0) {
      const current = this.fileOf(replica)
      const room = this.maxBytes - current.written
      const cut = rest.length <= room ? rest.length : room > 0 ? rest.lastIndexOf(0x0a, room - 1) + 1 : 0
      const take = cut > 0 ? cut : current.written === 0 ? rest.indexOf(0x0a) + 1 || rest.length : 0
      if (take > 0) {
        current.stream.write(rest.subarray(0, take))
        current.written += take
        rest = rest.subarray(take)
      }
      if (rest.length > 0) this.rotate(replica, current)
    }
  }

  private fileOf(replica: string): ReplicaFile {
    let file = this.files.get(replica)
    if (!file) {
      // replica names are a service's DNS label, '_', hex and a number: safe as a file name
      const path = join(this.dir, `${replica}.log`)
      file = { path, stream: this.open(path, 'a'), written: 0, dropped: 0 }
      this.files.set(replica, file)
    }
    return file
  }

  private rotate(replica: string, file: ReplicaFile): void {
    // renaming a file still open is fine on POSIX: the old stream finishes into the renamed file
    file.stream.end()
    rmSync(`${file.path}.${this.keep}`, { force: true })
    for (let n = this.keep - 1; n >= 1; n--) renameIfThere(`${file.path}.${n}`, `${file.path}.${n + 1}`)
    if (this.keep > 0) renameIfThere(file.path, `${file.path}.1`)
    else rmSync(file.path, { force: true })
    this.files.set(replica, { path: file.path, stream: this.open(file.path, 'w'), written: 0, dropped: 0 })
  }

  private open(path: string, flags: 'a' | 'w'): Writable {
    let fd: number
    try {
      // opened now, not when the stream gets to it: a rotation soon after must rename a file
      // that exists, or the late open would make a second one under the same name
      fd = openSync(path, flags)
    } catch {
      // a removed folder or no permission costs the file, not the application
      return new Writable({ write: (_chunk, _encoding, done) => done() })
    }
    const stream = createWriteStream(path, { fd })
    // a full disk costs the file, not the application
    stream.on('error', () => undefined)
    return stream
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch {
    // not there yet
  }
}
