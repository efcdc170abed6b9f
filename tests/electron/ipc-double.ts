// The thinnest stand-in for Electron's IPC: ipcMain's handle/removeHandler and the frames
// and WebContents a message arrives from. Everything above it in the tests is the real code.
import type { IpcMainLike } from '../../src-main/electron/ipc-adapter'
import type { FrameLike, SenderEventLike } from '../../src-main/electron/sender-check'

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: SenderEventLike, ...args: unknown[]) => unknown>()

  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** what ipcRenderer.invoke does: no handler is an error, like Electron's */
  async invoke(event: SenderEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    // IPC copies arguments with structured clone
    return handler(event, ...args.map((a) => structuredClone(a)))
  }
}

export interface FakeContents {
  mainFrame: FrameLike
}

export function fakeContents(url: string): FakeContents {
  return { mainFrame: { url, parent: null } }
}

export function eventFrom(contents: FakeContents, frame: FrameLike | null = contents.mainFrame): SenderEventLike {
  return { sender: contents, senderFrame: frame }
}
