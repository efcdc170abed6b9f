import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ContractHandlers, SessionInfo } from '../../src-shared/contract'
import { desktopHandlers } from '../../src-main/electron/desktop-handlers'
import { RecentFiles } from '../../src-main/electron/recent-files'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-desktop-'))
  dirs.push(dir)
  return dir
}

// a core that records the order its open/close calls start and finish in
function recordingCore(log: string[]): ContractHandlers {
  let info: SessionInfo = { state: 'empty', problems: [], warnings: [], desktop: true, recentFiles: [] }
  const pause = () => new Promise((r) => setTimeout(r, 20))
  return {
    session: () => info,
    openApplication: async ({ path }: { path?: string }) => {
      log.push(`open ${path} begins`)
      await pause()
      info = path!.endsWith('bad.yaml')
        ? { ...info, state: 'error', application: undefined, problems: [{ file: path!, line: 2, col: 3, severity: 'error', message: 'replicas: expected a number' }] }
        : { ...info, state: 'running', application: { id: path!, name: 'shop', source: path! }, problems: [] }
      log.push(`open ${path} ends`)
      return info
    },
    closeApplication: async () => {
      log.push('close')
      info = { ...info, state: 'empty', application: undefined }
      return info
    },
  } as unknown as ContractHandlers
}

describe('the desktop handlers', () => {
  it('adds files that open cleanly to Open Recent, and reports the list with the session', async () => {
    const dir = tempDir()
    const good = join(dir, 'app.yaml')
    const bad = join(dir, 'bad.yaml')
    writeFileSync(good, '')
    writeFileSync(bad, '')
    const recent = new RecentFiles(join(dir, 'recent.json'))
    const onChange = vi.fn()
    const { handlers } = desktopHandlers({ core: recordingCore([]), recent, chooseFile: async () => undefined, onChange })

    const opened = await handlers.openApplication({ path: good })
    expect(opened.recentFiles).toEqual([good])
    const failed = await handlers.openApplication({ path: bad })
    expect(failed.problems[0]).toMatchObject({ line: 2, col: 3 })
    expect(recent.list()).toEqual([good])
    expect((await handlers.session({})).recentFiles).toEqual([good])
    expect(onChange).toHaveBeenCalledTimes(2)
  })

  it('asks with a dialog when no path is given, and does nothing when it is cancelled', async () => {
    const dir = tempDir()
    const file = join(dir, 'app.yaml')
    writeFileSync(file, '')
    const chooseFile = vi.fn<() => Promise<string | undefined>>().mockResolvedValueOnce(undefined).mockResolvedValueOnce(file)
    const log: string[] = []
    const { handlers } = desktopHandlers({ core: recordingCore(log), recent: new RecentFiles(join(dir, 'r.json')), chooseFile })
    expect((await handlers.openApplication({})).state).toBe('empty')
    expect(log).toEqual([])
    expect((await handlers.openApplication({})).application?.source).toBe(file)
  })

  it('forgets a recent file that is gone', async () => {
    const dir = tempDir()
    const recent = new RecentFiles(join(dir, 'r.json'))
    const gone = join(dir, 'gone', 'bad.yaml')
    recent.add(gone)
    const { handlers } = desktopHandlers({ core: recordingCore([]), recent, chooseFile: async () => undefined })
    await handlers.openApplication({ path: gone })
    expect(recent.list()).toEqual([])
  })

  it('runs opens and closes one at a time', async () => {
    const dir = tempDir()
    const log: string[] = []
    const { handlers } = desktopHandlers({ core: recordingCore(log), recent: new RecentFiles(join(dir, 'r.json')), chooseFile: async () => undefined })
    await Promise.all([handlers.openApplication({ path: '/a/app.yaml' }), handlers.openApplication({ path: '/b/app.yaml' }), handlers.closeApplication({})])
    expect(log).toEqual(['open /a/app.yaml begins', 'open /a/app.yaml ends', 'open /b/app.yaml begins', 'open /b/app.yaml ends', 'close'])
  })

  it('fills the recent list into session events', () => {
    const dir = tempDir()
    const recent = new RecentFiles(join(dir, 'r.json'))
    recent.add('/x/app.yaml')
    const { decorate } = desktopHandlers({ core: recordingCore([]), recent, chooseFile: async () => undefined })
    const event = decorate({ type: 'session', id: 4, session: { state: 'running', problems: [], warnings: [], desktop: false, recentFiles: [] } })
    expect(event).toMatchObject({ id: 4, session: { desktop: true, recentFiles: ['/x/app.yaml'] } })
    const log = { type: 'application', id: 5, state: 'running' } as const
    expect(decorate(log)).toBe(log)
  })
})
