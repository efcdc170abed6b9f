import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RecentFiles } from '../../src-main/electron/recent-files'

const dirs: string[] = []
const tempStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-recent-'))
  dirs.push(dir)
  return join(dir, 'recent-files.json')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('Open Recent', () => {
  it('keeps the newest first, without duplicates, across launches', () => {
    const store = tempStore()
    const recent = new RecentFiles(store, 3)
    recent.add('/a/app.yaml')
    recent.add('/b/app.yaml')
    recent.add('/a/app.yaml')
    expect(recent.list()).toEqual(['/a/app.yaml', '/b/app.yaml'])
    recent.add('/c/app.yaml')
    recent.add('/d/app.yaml')
    expect(new RecentFiles(store, 3).list()).toEqual(['/d/app.yaml', '/c/app.yaml', '/a/app.yaml'])
  })

  it('removes and clears', () => {
    const store = tempStore()
    const recent = new RecentFiles(store)
    recent.add('/a/app.yaml')
    recent.add('/b/app.yaml')
    recent.remove('/a/app.yaml')
    expect(new RecentFiles(store).list()).toEqual(['/b/app.yaml'])
    recent.clear()
    expect(new RecentFiles(store).list()).toEqual([])
  })

  it('ignores a damaged store', () => {
    const store = tempStore()
    writeFileSync(store, '{"not":"a list"}')
    expect(new RecentFiles(store).list()).toEqual([])
    writeFileSync(store, '["/ok.yaml", 42, "", "/ok.yaml"]')
    expect(new RecentFiles(store).list()).toEqual(['/ok.yaml'])
  })
})
