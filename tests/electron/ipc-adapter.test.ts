import { describe, expect, it, vi } from 'vitest'
import { contract, type ContractHandlers, type SessionInfo } from '../../src-shared/contract'
import { ControlError } from '../../src-shared/errors'
import { appLocation } from '../../src-main/electron/app-url'
import { registerContractIpc } from '../../src-main/electron/ipc-adapter'
import { senderCheck } from '../../src-main/electron/sender-check'
import { commandChannel, commandNames } from '../../src-main/preload/ipc-channels'
import { eventFrom, fakeContents, FakeIpcMain } from './ipc-double'

const INDEX = '/opt/micronetes/out/renderer/index.html'
const APP_URL = 'file:///opt/micronetes/out/renderer/index.html'

const emptySession: SessionInfo = { state: 'empty', problems: [], warnings: [], desktop: true, recentFiles: [] }

function fakeCore(): ContractHandlers & Record<string, ReturnType<typeof vi.fn>> {
  const fail = () => {
    throw new Error('not expected in this test')
  }
  return {
    session: vi.fn(() => emptySession),
    services: vi.fn(() => []),
    logs: vi.fn(fail),
    scale: vi.fn(({ service, replicas }) => ({ name: service, replicas }) as never),
    restartService: vi.fn(({ service }) => {
      throw new ControlError('not-found', `no service named '${service}'`)
    }),
    restartReplica: vi.fn(fail),
    stopService: vi.fn(fail),
    startService: vi.fn(fail),
    openApplication: vi.fn(fail),
    reloadApplication: vi.fn(fail),
    closeApplication: vi.fn(fail),
  } as never
}

function setup() {
  const ipcMain = new FakeIpcMain()
  const window = fakeContents(APP_URL)
  const core = fakeCore()
  const dispose = registerContractIpc({
    ipcMain,
    handlers: core,
    isTrustedSender: senderCheck({ ownContents: () => [window], location: appLocation({ indexHtml: INDEX }) }),
  })
  return { ipcMain, window, core, dispose }
}

describe('the IPC adapter', () => {
  it('registers one channel per contract command, and only those', () => {
    const { ipcMain } = setup()
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(contract).map((n) => commandChannel(n as never)).sort())
    expect([...commandNames].sort()).toEqual(Object.keys(contract).sort())
  })

  it('answers the app window with the core result', async () => {
    const { ipcMain, window } = setup()
    const reply = await ipcMain.invoke(eventFrom(window), commandChannel('scale'), { service: 'web', replicas: 3 })
    expect(reply).toEqual({ result: { name: 'web', replicas: 3 } })
  })

  it('rejects invalid input before the core sees it', async () => {
    const { ipcMain, window, core } = setup()
    for (const input of [{ service: 'web', replicas: -1 }, { service: 'web', replicas: 1000 }, { service: 'web' }, { service: 'web', replicas: 2, extra: true }, 'scale everything']) {
      const reply = await ipcMain.invoke(eventFrom(window), commandChannel('scale'), input)
      expect(reply).toMatchObject({ error: { code: 'invalid' } })
    }
    expect(core.scale).not.toHaveBeenCalled()
  })

  it('returns the core errors as data with their code', async () => {
    const { ipcMain, window } = setup()
    const reply = await ipcMain.invoke(eventFrom(window), commandChannel('restartService'), { service: 'nope' })
    expect(reply).toEqual({ error: { code: 'not-found', message: "no service named 'nope'" } })
  })

  it('refuses foreign senders without calling the core', async () => {
    const { ipcMain, window, core } = setup()
    const stranger = fakeContents(APP_URL)
    const navigatedAway = fakeContents('https://attacker.example/index.html')
    const otherFile = fakeContents('file:///tmp/evil.html')
    const iframe = { url: APP_URL, parent: window.mainFrame }
    const refusals = [
      eventFrom(stranger), // a WebContents this app did not create, even on the same URL
      eventFrom(window, iframe), // a sub-frame of our window
      eventFrom(window, null), // a frame gone or navigated while the message was in flight
      eventFrom(window, { url: APP_URL, parent: null }), // a top frame that is not our window's main frame
    ]
    for (const event of refusals) {
      const reply = await ipcMain.invoke(event, commandChannel('scale'), { service: 'web', replicas: 1 })
      expect(reply).toMatchObject({ error: { message: expect.stringContaining('refused') } })
    }
    for (const contents of [navigatedAway, otherFile]) {
      const ipc = new FakeIpcMain()
      registerContractIpc({
        ipcMain: ipc,
        handlers: core,
        isTrustedSender: senderCheck({ ownContents: () => [contents], location: appLocation({ indexHtml: INDEX }) }),
      })
      const reply = await ipc.invoke(eventFrom(contents), commandChannel('scale'), { service: 'web', replicas: 1 })
      expect(reply).toMatchObject({ error: { message: expect.stringContaining('refused') } })
    }
    expect(core.scale).not.toHaveBeenCalled()
  })

  it('accepts the dashboard with a #fragment, and the dev server origin in development', async () => {
    const { ipcMain, window } = setup()
    window.mainFrame.url = `${APP_URL}#/services/web`
    expect(await ipcMain.invoke(eventFrom(window), commandChannel('services'), {})).toEqual({ result: [] })

    const dev = appLocation({ indexHtml: INDEX, devServerUrl: 'http://localhost:5173/' })
    expect(dev.isAppUrl('http://localhost:5173/index.html')).toBe(true)
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false)
    expect(dev.isAppUrl(APP_URL)).toBe(false)
  })

  it('removes its handlers when disposed', () => {
    const { ipcMain, dispose } = setup()
    dispose()
    expect(ipcMain.handlers.size).toBe(0)
  })
})
