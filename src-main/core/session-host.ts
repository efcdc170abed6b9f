// A host's view of "the application currently open": the CLI opens one for its lifetime,
// the desktop app opens, reloads and closes them. The HTTP API and the Electron IPC adapter
// both serve a SessionHost, so they follow whichever application is open.
import type { ContractHandlers, DeliveredEvent, SessionInfo } from '../../src-shared/contract'
import type { ControlPlane } from '../../src-shared/control-plane'
import type { LogRun } from './logs/log-run'

export interface SessionHost {
  info(): SessionInfo
  /** the running application, if any */
  current(): ControlPlane | undefined
  /** the contract, for the IPC and HTTP transports (input is validated by dispatch) */
  readonly handlers: ContractHandlers
  /**
   * Numbered events of whatever application is open, plus 'session' events when it changes.
   * With `after`, first replays the buffered events whose id is greater (Last-Event-ID).
   */
  subscribe(
    listener: (event: DeliveredEvent) => void,
    options?: {
      after?: number
      onMissed?: (firstId: number, lastId: number) => void
      /** log lines read together come here as one run (ids firstId, firstId + 1, ...) instead of one 'log' event each */
      onLogRun?: (run: LogRun, firstId: number) => void
    },
  ): () => void
  setApiUrl(url: string): void
  /** someone looks at the running application until the returned function is called: resources are sampled each second meanwhile */
  watch(): () => void
}
