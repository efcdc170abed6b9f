// What the window's title and taskbar progress say: the application's name, and while it
// starts or stops (opening another, reloading, closing, quitting) what is going on.
import type { SessionInfo } from '../../src-shared/contract'

export interface WindowProgress {
  title: string
  /** BrowserWindow.setProgressBar: 2 is indeterminate, -1 removes the bar */
  progress: number
}

export function windowProgress(info: Pick<SessionInfo, 'state' | 'application'>, message?: string): WindowProgress {
  const name = info.application?.name
  const busy =
    message ??
    (info.state === 'stopping'
      ? `stopping ${name ?? 'the application'}…`
      : info.state === 'starting'
        ? `starting ${name ?? 'the application'}…`
        : undefined)
  return { title: ['Micronetes', name, busy].filter(Boolean).join(' — '), progress: busy ? 2 : -1 }
}
