// Each service's `watch`: its paths and globs watched (node_modules, .git and the usual build
// outputs left out unless named), changes gathered for the watch's debounce, then one action
// for the service. A watch whose service keeps changing what it watches is paused instead of
// restarting it over and over.
import { relative, sep } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import picomatch from 'picomatch'
import type { Service, Watch } from '../../../src-shared/app-model'
import { same } from './application-difference'

/** folders of dependencies, version control and build output: watched only when a path names them */
export const DEFAULT_IGNORED = ['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'target', 'coverage', '.next', '.cache', '.turbo', '__pycache__', '.venv', 'bin', 'obj']

/** a change this soon after the service's action ended counts as the action's own echo */
export const ECHO_MS = 1000
/** echoes in a row before the watch is paused */
export const MAX_ECHOES = 3

export interface ServiceWatchersOptions {
  /** the action for a change: runs one at a time per service */
  act(service: Service, files: string[]): Promise<void>
  /** a reason: the watch is paused; undefined: it acts again */
  paused(service: string, reason: string | undefined): void
}

interface Watched {
  service: Service
  watcher: FSWatcher
  pending: Set<string>
  timer?: NodeJS.Timeout
  running: boolean
  again: boolean
  lastDone: number
  echoes: number
  paused: boolean
}

export class ServiceWatchers {
  private readonly watched = new Map<string, Watched>()
  private closed = false

  constructor(private readonly options: ServiceWatchersOptions) {}

  /** watches what the services now say; a watch that did not change keeps going (and a paused one acts again) */
  async update(services: Service[], directory: string): Promise<void> {
    const wanted = new Map(services.filter((s) => s.watch && s.kind !== 'external').map((s) => [s.name, s]))
    for (const [name, w] of this.watched) {
      if (wanted.has(name) && same(wanted.get(name)!.watch, w.service.watch)) {
        w.service = wanted.get(name)!
        if (w.paused) this.resume(w)
        continue
      }
      await this.stop(w)
      this.watched.delete(name)
    }
    const fresh: Promise<void>[] = []
    for (const [name, service] of wanted) {
      if (this.watched.has(name) || this.closed) continue
      const w = this.start(service, directory)
      this.watched.set(name, w.watched)
      fresh.push(w.ready)
    }
    await Promise.all(fresh)
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.watched.values()].map((w) => this.stop(w)))
    this.watched.clear()
  }

  private start(service: Service, directory: string): { watched: Watched; ready: Promise<void> } {
    const spec = service.watch!
    const { roots, matches } = watchedPaths(spec)
    const ignored = ignoredPaths(spec, directory)
    const watcher = watch(roots, { ignoreInitial: true, ignored: (path) => ignored(path) })
    const w: Watched = { service, watcher, pending: new Set(), running: false, again: false, lastDone: 0, echoes: 0, paused: false }
    watcher.on('all', (event, path) => {
      if (event === 'addDir' || !matches(path)) return
      this.changed(w, path)
    })
    watcher.on('error', () => undefined)
    return { watched: w, ready: new Promise((resolve) => watcher.once('ready', () => resolve())) }
  }

  private async stop(w: Watched): Promise<void> {
    clearTimeout(w.timer)
    await w.watcher.close()
  }

  private changed(w: Watched, path: string): void {
    if (w.paused || this.closed) return
    if (w.running || Date.now() - w.lastDone < ECHO_MS) {
      if (w.pending.size === 0 && ++w.echoes >= MAX_ECHOES) {
        this.pause(w, path)
        return
      }
    } else {
      w.echoes = 0
    }
    w.pending.add(path)
    clearTimeout(w.timer)
    w.timer = setTimeout(() => void this.fire(w), w.service.watch!.debounceMs)
  }

  private async fire(w: Watched): Promise<void> {
    if (w.running) {
      w.again = true
      return
    }
    const files = [...w.pending]
    w.pending.clear()
    if (files.length === 0 || w.paused || this.closed) return
    w.running = true
    try {
      await this.options.act(w.service, files)
    } catch {
      // the action reports its own failure (a failed build, replicas refused)
    } finally {
      w.running = false
      w.lastDone = Date.now()
    }
    if (w.again) {
      w.again = false
      if (w.pending.size > 0) void this.fire(w)
    }
  }

  private pause(w: Watched, path: string): void {
    w.paused = true
    w.pending.clear()
    clearTimeout(w.timer)
    this.options.paused(w.service.name, `paused: ${path} changed again each time ${w.service.name} restarted (does it write into what it watches?); saving app.yaml turns it on again`)
  }

  private resume(w: Watched): void {
    w.paused = false
    w.echoes = 0
    this.options.paused(w.service.name, undefined)
  }
}

/** where to watch, and whether a changed path is one the watch names */
export function watchedPaths(spec: Watch): { roots: string[]; matches: (path: string) => boolean } {
  const roots: string[] = []
  const tests: ((path: string) => boolean)[] = []
  for (const p of spec.paths) {
    const scanned = picomatch.scan(p)
    if (scanned.isGlob) {
      roots.push(scanned.base)
      tests.push(picomatch(p, { dot: true }))
    } else {
      roots.push(p)
      tests.push((path) => path === p || path.startsWith(p.endsWith(sep) ? p : p + sep))
    }
  }
  return { roots, matches: (path) => tests.some((t) => t(path)) }
}

/** the default folders (unless a watched path names one) and the watch's own ignore globs, from app.yaml's folder */
export function ignoredPaths(spec: Watch, directory: string): (path: string) => boolean {
  const named = new Set(spec.paths.flatMap((p) => p.split(/[\\/]/)))
  const defaults = new Set(DEFAULT_IGNORED.filter((d) => !named.has(d)))
  const own = spec.ignore.length > 0 ? picomatch(spec.ignore, { dot: true }) : () => false
  return (path) => {
    const rel = relative(directory, path)
    return rel.split(sep).some((segment) => defaults.has(segment)) || own(rel)
  }
}
