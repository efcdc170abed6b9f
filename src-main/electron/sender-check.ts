// Only accept IPC from the top frame of a window this app created, showing the app's own
// page. An iframe, a navigated-away page or another WebContents gets nothing.
import type { AppLocation } from './app-url'

/** the parts of Electron's WebFrameMain the check reads */
export interface FrameLike {
  url: string
  parent: FrameLike | null
}

/** the parts of an IpcMainInvokeEvent the check reads */
export interface SenderEventLike {
  sender: { mainFrame: FrameLike }
  senderFrame: FrameLike | null
}

export type SenderCheck = (event: SenderEventLike) => boolean

export function senderCheck(options: {
  /** the webContents of the windows this app created */
  ownContents: () => Iterable<unknown>
  location: Pick<AppLocation, 'isAppUrl'>
}): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    // a frame that navigated or was destroyed while the message was in flight is null
    if (!frame) return false
    if (frame.parent !== null || frame !== event.sender.mainFrame) return false
    if (![...options.ownContents()].includes(event.sender)) return false
    return options.location.isAppUrl(frame.url)
  }
}
