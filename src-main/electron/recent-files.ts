// File > Open Recent: the last app.yaml files opened, newest first, kept in userData.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export const MAX_RECENT_FILES = 10

export class RecentFiles {
  private files: string[]

  constructor(
    private readonly storeFile: string,
    private readonly max = MAX_RECENT_FILES,
  ) {
    this.files = readList(storeFile).slice(0, max)
  }

  list(): string[] {
    return [...this.files]
  }

  add(path: string): void {
    const absolute = resolve(path)
    this.files = [absolute, ...this.files.filter((f) => f !== absolute)].slice(0, this.max)
    this.save()
  }

  remove(path: string): void {
    const absolute = resolve(path)
    if (!this.files.includes(absolute)) return
    this.files = this.files.filter((f) => f !== absolute)
    this.save()
  }

  clear(): void {
    this.files = []
    this.save()
  }

  private save(): void {
    mkdirSync(dirname(this.storeFile), { recursive: true })
    const temporary = `${this.storeFile}.tmp`
    writeFileSync(temporary, JSON.stringify(this.files, null, 2))
    renameSync(temporary, this.storeFile)
  }
}

function readList(file: string): string[] {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (!Array.isArray(raw)) return []
    return [...new Set(raw.filter((f): f is string => typeof f === 'string' && f.length > 0))]
  } catch {
    return []
  }
}
