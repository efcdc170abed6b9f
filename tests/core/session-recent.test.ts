// The session keeps the one recent list and runs open / reload / close in turn, so the desktop
// window, its menu and a dashboard in a browser all see the same list (issue #21, item 5).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DeliveredEvent } from '../../src-shared/contract'
import { loadApplication } from '../../src-main/core/config/load-application'
import { MemoryRecentList } from '../../src-main/core/recent-list'
import { Session, type SessionOptions } from '../../src-main/core/session'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function setup(options: SessionOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-recent-'))
  const recent = new MemoryRecentList()
  const session = new Session({ desktop: true, recent, ...options })
  const sessionEvents: DeliveredEvent[] = []
  session.subscribe((e) => e.type === 'session' && sessionEvents.push(e))
  cleanups.push(async () => {
    session.forceStop()
    await session.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const write = (name: string, yaml: string): string => {
    const file = join(dir, `${name}.yaml`)
    writeFileSync(file, yaml)
    return file
  }
  const app = (name: string): string =>
    write(name, [`name: ${name}`, 'services:', '  - name: ticker', '    executable: node', `    args: ["-e", "setInterval(() => {}, 1000)"]`, ''].join('\n'))
  return { dir, recent, session, sessionEvents, write, app }
}

describe('the session\'s recent files and queue', () => {
  it('adds files that open cleanly, not those with problems, and tells every subscriber', async () => {
    const s = setup()
    const good = s.app('good')
    const bad = s.write('bad', 'name: bad\nservices:\n  - name: web\n    replicas: many\n')
    expect((await s.session.handlers.openApplication({ path: good })).recentFiles).toEqual([good])
    const failed = await s.session.handlers.openApplication({ path: bad })
    expect(failed.problems.length).toBeGreaterThan(0)
    expect(failed.recentFiles).toEqual([good])
    expect(s.recent.list()).toEqual([good])
    // what a browser's dashboard hears is the same list as the window's menu reads
    expect(s.sessionEvents.at(-1)).toMatchObject({ session: { recentFiles: [good] } })
    s.session.clearRecent()
    expect(s.sessionEvents.at(-1)).toMatchObject({ session: { recentFiles: [] } })
  })

  it('forgets a recent file that is gone', async () => {
    const s = setup()
    const gone = join(s.dir, 'gone', 'app.yaml')
    s.recent.add(gone)
    await s.session.handlers.openApplication({ path: gone })
    expect(s.recent.list()).toEqual([])
  })

  it('asks which file when no path is given, and does nothing when the question is cancelled', async () => {
    const chooseFile = vi.fn<() => Promise<string | undefined>>()
    const s = setup({ chooseFile })
    const file = s.app('chosen')
    chooseFile.mockResolvedValueOnce(undefined).mockResolvedValueOnce(file)
    expect((await s.session.handlers.openApplication({})).state).toBe('empty')
    expect((await s.session.handlers.openApplication({})).application?.source).toBe(file)
  })

  it('without a way to ask, a path is required', async () => {
    const s = setup()
    expect(() => s.session.handlers.openApplication({})).toThrow(expect.objectContaining({ code: 'invalid' }))
  })

  it('runs opens and closes one at a time, the question included', async () => {
    const log: string[] = []
    const chooseFile = vi.fn(async () => {
      log.push('asked')
      return undefined
    })
    const s = setup({
      chooseFile,
      loadApplication: async (path) => {
        log.push(`load ${path.slice(path.lastIndexOf('/') + 1)} begins`)
        await new Promise((r) => setTimeout(r, 30))
        log.push(`load ${path.slice(path.lastIndexOf('/') + 1)} ends`)
        return loadApplication(path)
      },
    })
    const a = s.app('a')
    const b = s.app('b')
    await Promise.all([s.session.handlers.openApplication({ path: a }), s.session.handlers.openApplication({}), s.session.handlers.openApplication({ path: b }), s.session.handlers.closeApplication({})])
    expect(log).toEqual(['load a.yaml begins', 'load a.yaml ends', 'asked', 'load b.yaml begins', 'load b.yaml ends'])
    expect(s.session.info().state).toBe('empty')
    expect(s.recent.list()).toEqual([b, a])
  })
})
