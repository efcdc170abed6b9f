// The contract over Electron IPC: one handler per command, each checking the sender before
// the shared dispatcher validates the input and turns errors into data.
import type { CommandName, ContractHandlers, DeliveredEvent } from '../../src-shared/contract'
import { dispatch, type DispatchResult } from '../../src-shared/dispatch'
import { commandChannel, commandNames, EVENT_CHANNEL } from '../preload/ipc-channels'
import type { SenderCheck, SenderEventLike } from './sender-check'

/** the parts of Electron's ipcMain the adapter uses */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export function registerContractIpc(options: {
  ipcMain: IpcMainLike
  handlers: ContractHandlers
  isTrustedSender: SenderCheck
}): () => void {
  const { ipcMain, handlers, isTrustedSender } = options
  for (const name of commandNames) {
    ipcMain.handle(commandChannel(name), (event, input): Promise<DispatchResult<CommandName>> => {
      if (!isTrustedSender(event)) {
        return Promise.resolve({
          error: { code: 'invalid', message: `${name}: refused: the request did not come from the Micronetes window` },
        })
      }
      return dispatch(handlers, name, input)
    })
  }
  return () => {
    for (const name of commandNames) ipcMain.removeHandler(commandChannel(name))
  }
}

/** the parts of a WebContents that events are pushed to */
export interface EventTarget {
  isDestroyed(): boolean
  send(channel: string, event: DeliveredEvent): void
}

export function pushEvents(
  subscribe: (listener: (event: DeliveredEvent) => void) => () => void,
  target: EventTarget,
): () => void {
  const unsubscribe = subscribe((event) => {
    if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event)
  })
  return unsubscribe
}
