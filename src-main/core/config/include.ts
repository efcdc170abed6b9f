// Tye's `include`: a service entry `{ name, include: ../worker/tye.yaml }` brings in the services
// of another application file, whose own paths are relative to it. Tye's multi-repository
// samples include one another and each define the shared services (redis): a name already in
// the application is kept as first defined, not repeated.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { dirname, join, normalize, resolve } from 'node:path'
import type { Ingress, Service } from '../../../src-shared/app-model'
import type { ConfigProblem } from '../../../src-shared/problems'
import { MAX_APP_FILE_BYTES, tooLarge } from './read-app-file'
import { localPath } from './tye-fields'

/** an entry of the services list that includes another file instead of defining a service */
export interface IncludeEntry {
  include: string
  name?: unknown
}

export function isIncludeEntry(raw: unknown): raw is IncludeEntry {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && typeof (raw as { include?: unknown }).include === 'string'
}

/** the fields an include entry may have beside `include` */
export const INCLUDE_ENTRY_FIELDS = new Set(['name', 'include'])

export type IncludedResult =
  | { ok: true; services: Service[]; includes: string[]; ingress: Ingress[] }
  | { ok: false; problems: ConfigProblem[] }
  /** the entry itself is wrong: said at its line in the including file */
  | { ok: false; entryProblem: string }

export type ParseIncluded = (text: string, named: string, chain: readonly string[]) => IncludedResult

/**
 * Reads and parses one included file. `chain` holds the absolute files that include it, so a
 * file that includes itself (through others or not) is refused instead of read forever.
 */
export function readIncluded(entry: IncludeEntry, includingNamed: string, includingFile: string, chain: readonly string[], parse: ParseIncluded): IncludedResult {
  const written = localPath(entry.include)
  const file = resolve(dirname(includingFile), written)
  // problems quote the file the way the user's own path leads to it
  const named = normalize(join(dirname(includingNamed), written))
  if ([...chain, includingFile].includes(file)) return { ok: false, entryProblem: `"${entry.include}" includes itself (${[...chain, includingFile, file].map((f) => f.slice(dirname(includingFile).length + 1) || f).join(' -> ')})` }
  const read = readSmallFile(file)
  if (!read.ok) return { ok: false, entryProblem: `cannot include "${entry.include}": ${read.message} (looked for ${file})` }
  return parse(read.text, named, [...chain, includingFile])
}

/** the included services whose names the application does not have yet, in file order */
export function joinIncluded(own: readonly string[], included: readonly Service[]): Service[] {
  const names = new Set(own)
  return included.filter((service) => {
    if (names.has(service.name)) return false
    names.add(service.name)
    return true
  })
}

function readSmallFile(file: string): { ok: true; text: string } | { ok: false; message: string } {
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat) return { ok: false, message: 'no such file' }
  if (stat.isDirectory()) return { ok: false, message: 'is a folder, not a file' }
  if (stat.size > MAX_APP_FILE_BYTES) return { ok: false, message: tooLarge() }
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const buffer = Buffer.alloc(MAX_APP_FILE_BYTES + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0 || length + n >= buffer.length) {
        length += n
        break
      }
      length += n
    }
    if (length > MAX_APP_FILE_BYTES) return { ok: false, message: tooLarge() }
    return { ok: true, text: buffer.toString('utf8', 0, length) }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
