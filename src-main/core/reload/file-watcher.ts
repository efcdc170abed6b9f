// Calls back, once things are quiet again, when any of a set of files changes: app.yaml and
// the files it reads. Each file's folder is watched rather than the file, so an editor's
// save-by-rename and a file that does not exist yet (.env) are seen as well.
import { dirname, resolve } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'

export const DEFAULT_FILE_DEBOUNCE_MS = 200

export class FileWatcher {
  private watcher: FSWatcher | undefined
  private files = new Set<string>()
  private folders = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly onChange: (changed: string[]) => void,
    private readonly debounceMs = DEFAULT_FILE_DEBOUNCE_MS,
  ) {}

  /** resolves once the watcher sees the folders (a change after it is never missed) */
  async setFiles(paths: Iterable<string>): Promise<void> {
    if (this.closed) return
    this.files = new Set([...paths].map((p) => resolve(p)))
    const folders = new Set([...this.files].map((f) => dirname(f)))
    const added = [...folders].filter((f) => !this.folders.has(f))
    const gone = [...this.folders].filter((f) => !folders.has(f))
    this.folders = folders
    if (!this.watcher) {
      this.watcher = watch([...folders], { depth: 0, ignoreInitial: true, ignored: (path) => !this.folders.has(path) && !this.files.has(path) })
      this.watcher.on('all', (_event, path) => this.changed(resolve(path)))
      this.watcher.on('error', () => undefined)
      await new Promise<void>((ready) => this.watcher!.once('ready', () => ready()))
      return
    }
    if (gone.length > 0) this.watcher.unwatch(gone)
    if (added.length > 0) this.watcher.add(added)
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    await this.watcher?.close()
    this.watcher = undefined
  }

  private pending = new Set<string>()

  private changed(path: string): void {
    if (!this.files.has(path)) return
    this.pending.add(path)
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      const changed = [...this.pending]
      this.pending.clear()
      if (!this.closed) this.onChange(changed)
    }, this.debounceMs)
  }
}
