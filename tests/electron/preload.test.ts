// The preload runs against a double of the three Electron objects it touches
// (contextBridge, ipcRenderer, webUtils), wired to the real IPC adapter on the main side.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContractHandlers, DeliveredEvent, MicronetesClient } from '../../src-shared/contract'
import { ControlError } from '../../src-shared/errors'
import { appLocation } from '../../src-main/electron/app-url'
import { registerContractIpc } from '../../src-main/electron/ipc-adapter'
import { senderCheck } from '../../src-main/electron/sender-check'
import { commandNames, EVENT_CHANNEL } from '../../src-main/preload/ipc-channels'
import { eventFrom, fakeContents, FakeIpcMain } from './ipc-double'

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  invoke: undefined as undefined | ((channel: string, ...args: unknown[]) => Promise<unknown>),
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => bridge.invoke!(channel, ...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => bridge.rendererListeners.set(channel, listener),
  },
  webUtils: { getPathForFile: (file: { path: string }) => file.path },
}))

const INDEX = '/opt/micronetes/out/renderer/index.html'

// the page's window, as far as the preload's drop handling sees it
const windowListeners = new Map<string, (event: unknown) => void>()
;(globalThis as unknown as { addEventListener: unknown }).addEventListener = (type: string, listener: (event: unknown) => void) =>
  windowListeners.set(type, listener)

function drop(paths: string[], handledByPage = false) {
  const event = { defaultPrevented: handledByPage, preventDefault: vi.fn(), dataTransfer: { files: paths.map((path) => ({ path })) } }
  windowListeners.get('drop')!(event)
  return event
}

describe('the preload bridge', () => {
  let client: MicronetesClient
  let core: Record<string, ReturnType<typeof vi.fn>>

  beforeEach(async () => {
    vi.resetModules()
    bridge.exposed.clear()
    bridge.rendererListeners.clear()
    const ipcMain = new FakeIpcMain()
    const window = fakeContents('file:///opt/micronetes/out/renderer/index.html')
    core = Object.fromEntries(commandNames.map((name) => [name, vi.fn(() => ({ called: name }))]))
    core.restartService = vi.fn(() => {
      throw new ControlError('conflict', "service 'db' is external: it is not run by Micronetes")
    })
    registerContractIpc({
      ipcMain,
      handlers: core as unknown as ContractHandlers,
      isTrustedSender: senderCheck({ ownContents: () => [window], location: appLocation({ indexHtml: INDEX }) }),
    })
    bridge.invoke = (channel, ...args) => ipcMain.invoke(eventFrom(window), channel, ...args)
    await import('../../src-main/preload/index')
    client = bridge.exposed.get('micronetes') as MicronetesClient
  })

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('exposes exactly the contract methods and subscribe, and no ipcRenderer', () => {
    expect([...bridge.exposed.keys()].sort()).toEqual(['micronetes', 'micronetesDesktop'])
    expect(Object.keys(client).sort()).toEqual([...commandNames, 'subscribe'].sort())
    for (const value of Object.values(client)) expect(typeof value).toBe('function')
    expect(Object.keys(bridge.exposed.get('micronetesDesktop') as object)).toEqual(['pathForFile'])
  })

  it('calls the core through IPC and returns its result', async () => {
    await expect(client.scale({ service: 'web', replicas: 2 })).resolves.toEqual({ called: 'scale' })
    expect(core.scale).toHaveBeenCalledWith({ service: 'web', replicas: 2 })
    await expect(client.session({})).resolves.toEqual({ called: 'session' })
  })

  it('turns errors carried as data back into thrown errors', async () => {
    await expect(client.restartService({ service: 'db' })).rejects.toThrow("service 'db' is external")
    await expect(client.scale({ service: 'web', replicas: -3 })).rejects.toThrow(/replicas/)
    expect(core.scale).not.toHaveBeenCalled()
  })

  it('fans events out to every subscriber until it unsubscribes', () => {
    const push = bridge.rendererListeners.get(EVENT_CHANNEL)!
    const first: DeliveredEvent[] = []
    const second: DeliveredEvent[] = []
    const stopFirst = client.subscribe((e) => first.push(e))
    client.subscribe((e) => second.push(e))
    const event: DeliveredEvent = { id: 1, type: 'application', state: 'running' }
    push({}, event)
    stopFirst()
    push({}, { ...event, id: 2 })
    expect(first.map((e) => e.id)).toEqual([1])
    expect(second.map((e) => e.id)).toEqual([1, 2])
  })

  it('gives the path of a dropped file', () => {
    const desktop = bridge.exposed.get('micronetesDesktop') as { pathForFile(file: unknown): string }
    expect(desktop.pathForFile({ path: '/home/me/app.yaml' })).toBe('/home/me/app.yaml')
  })

  it('opens a yaml file dropped on the window, unless the page handled the drop', async () => {
    const over = { preventDefault: vi.fn() }
    windowListeners.get('dragover')!(over)
    expect(over.preventDefault).toHaveBeenCalled()

    const event = drop(['/home/me/notes.txt', '/home/me/shop/app.YML'])
    expect(event.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(core.openApplication).toHaveBeenCalledWith({ path: '/home/me/shop/app.YML' }))

    drop(['/home/me/other.yaml'], true)
    drop(['/home/me/picture.png'])
    await new Promise((r) => setTimeout(r, 20))
    expect(core.openApplication).toHaveBeenCalledTimes(1)
  })
})

describe('the preload bundle', () => {
  it('needs nothing but electron at run time, as a sandboxed preload must', async () => {
    const { build } = await import('esbuild')
    const result = await build({
      entryPoints: ['src-main/preload/index.ts'],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      metafile: true,
      external: ['electron'],
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((path) => path.includes('node_modules'))).toEqual([])
    const output = Object.values(result.metafile.outputs)[0]!
    expect(output.imports.map((i) => i.path)).toEqual(['electron'])
  })
})
