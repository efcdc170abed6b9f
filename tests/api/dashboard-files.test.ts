import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveDashboardFile } from '../../src-main/api/dashboard-files'

const base = mkdtempSync(join(tmpdir(), 'micronetes-dashboard-'))
const root = join(base, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html>')
writeFileSync(join(root, 'assets', 'index-abc12345.js'), 'console.log(1)')
writeFileSync(join(base, 'secret.txt'), 'secret')
symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'))

afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('dashboard files', () => {
  it('finds files and falls back to index.html for app routes', async () => {
    expect(await resolveDashboardFile(root, '/')).toBe(join(root, 'index.html'))
    expect(await resolveDashboardFile(root, '/assets/index-abc12345.js')).toBe(join(root, 'assets', 'index-abc12345.js'))
    expect(await resolveDashboardFile(root, '/services/web')).toBe(join(root, 'index.html'))
    expect(await resolveDashboardFile(root, '/missing.js')).toBeUndefined()
  })

  it('never leaves its folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/link.txt', '/%2e%2e%2fsecret.txt']) {
      expect(await resolveDashboardFile(root, path), path).toBeUndefined()
    }
    await expect(resolveDashboardFile(root, '/..%5csecret.txt')).rejects.toThrow(/malformed/)
    await expect(resolveDashboardFile(root, '/a%00.js')).rejects.toThrow(/malformed/)
  })
})
