// The desktop app itself, driven through Playwright's Electron support: open an application
// from the command line, scale a service from the window, quit and find nothing left.
// Needs a real Electron binary: ELECTRON_OVERRIDE_DIST_PATH pointing at an unpacked
// Electron 45 (the build machines cannot download one, so there it reports itself skipped).
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { copyExample, freePort, repoRoot } from './support/micronetes-app'
import { processAlive } from '../src-main/core/proc'

function electronBinary(): string | undefined {
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!dist) return undefined
  let relative = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron'
  try {
    relative = readFileSync(join(repoRoot, 'node_modules/electron/path.txt'), 'utf8').trim() || relative
  } catch {
    // no path.txt: the package never downloaded; the platform's usual name applies
  }
  const binary = join(dist, relative)
  return existsSync(binary) ? binary : undefined
}

const binary = electronBinary()

test.skip(
  binary === undefined || !existsSync(join(repoRoot, 'out/main/electron.js')),
  'needs an Electron binary: set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45 (and run npm run build)',
)

test('opens an app from the command line, scales web from the window, and quits leaving nothing running', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-electron-'))
  const { appFile } = await copyExample(dir)
  const app = await electron.launch({
    executablePath: binary,
    args: [repoRoot, appFile],
    env: { ...process.env, MICRONETES_USER_DATA: join(dir, 'profile'), MICRONETES_API_PORT: String(await freePort()) },
  })
  const pids: number[] = []
  try {
    const window = await app.firstWindow()
    const web = window.getByRole('region', { name: 'web', exact: true })
    await expect(web.getByTestId('service-summary')).toHaveText('2/2 ready')

    // the page sees the contract and nothing of Node or IPC
    const exposed = await window.evaluate(() => {
      const w = window as unknown as Record<string, object | undefined>
      return { bridge: Object.keys(w.micronetes ?? {}).sort(), require: typeof w.require, process: typeof w.process }
    })
    expect(exposed.bridge).toContain('scale')
    expect(exposed.bridge).not.toContain('ipcRenderer')
    expect(exposed).toMatchObject({ require: 'undefined', process: 'undefined' })

    await window.getByRole('button', { name: 'Scale up web', exact: true }).click()
    await expect(web.getByTestId('service-summary')).toHaveText('3/3 ready')
    await expect(web.locator('tbody tr')).toHaveCount(3)

    const running = await window.evaluate(async () => {
      const client = (window as unknown as { micronetes: { services(input: object): Promise<{ replicaStatuses: { pid?: number }[] }[]> } }).micronetes
      const services = await client.services({})
      return services.flatMap((s) => s.replicaStatuses.map((r) => r.pid ?? 0)).filter((pid) => pid > 0)
    })
    expect(running).toHaveLength(6)
    pids.push(...running)
  } finally {
    // closing quits: the app stops every replica before it exits
    await app.close()
    await rm(dir, { recursive: true, force: true })
  }
  expect(pids.filter(processAlive)).toEqual([])
})
