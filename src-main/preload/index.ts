// The bridge between the sandboxed dashboard and the main process. It exposes the contract's
// named methods and one subscription as window.micronetes, never ipcRenderer itself, so a
// compromised page can only ask what the contract allows.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { DeliveredEvent, MicronetesClient } from '../../src-shared/contract'
import type { ErrorData } from '../../src-shared/errors'
import { installFileDrop, type DropTarget } from './file-drop'
import { commandChannel, commandNames, EVENT_CHANNEL } from './ipc-channels'

type Reply = { result: unknown } | ErrorData

function isErrorData(reply: Reply): reply is ErrorData {
  return typeof reply === 'object' && reply !== null && 'error' in reply
}

async function invoke(name: (typeof commandNames)[number], input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(commandChannel(name), input ?? {})) as Reply
  if (isErrorData(reply)) {
    // contextBridge copies only an Error's message across worlds: the code stays behind
    throw new Error(reply.error.message)
  }
  return reply.result
}

const listeners = new Set<(event: DeliveredEvent) => void>()
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, delivered: DeliveredEvent) => {
  for (const listener of listeners) listener(delivered)
})

const client: Record<string, unknown> = {
  subscribe(listener: (event: DeliveredEvent) => void): () => void {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  },
}
for (const name of commandNames) client[name] = (input: unknown) => invoke(name, input)

contextBridge.exposeInMainWorld('micronetes', client as MicronetesClient)

// Dropping a file on the window: a sandboxed page sees a File without its path; Electron
// gives the path only here. A page that handles drops itself calls pathForFile and then
// openApplication({ path }); drops it leaves alone are opened by installFileDrop.
const pathForFile = (file: unknown): string => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0])
contextBridge.exposeInMainWorld('micronetesDesktop', { pathForFile })
installFileDrop(globalThis as unknown as DropTarget, {
  pathForFile,
  open: (path) => invoke('openApplication', { path }),
  onError: (error) => console.error('Micronetes: cannot open the dropped file:', error),
})
