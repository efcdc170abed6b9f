// The contract as the desktop serves it: the core's handlers, plus what only a desktop has.
// openApplication without a path asks with a file dialog; files that open cleanly join the
// recent list; opens, reloads and closes run one at a time, so two quick File > Open clicks
// never start two applications.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ContractHandlers, DeliveredEvent, SessionInfo } from '../../src-shared/contract'
import type { RecentFiles } from './recent-files'

export interface DesktopHandlerOptions {
  core: ContractHandlers
  recent: Pick<RecentFiles, 'list' | 'add' | 'remove'>
  /** the Open dialog; undefined when cancelled */
  chooseFile(): Promise<string | undefined>
  /** the session or the recent list changed: the menu follows */
  onChange?(info: SessionInfo): void
}

export interface DesktopHandlers {
  handlers: ContractHandlers
  /** session events with the desktop's recent list filled in */
  decorate(event: DeliveredEvent): DeliveredEvent
}

export function desktopHandlers(options: DesktopHandlerOptions): DesktopHandlers {
  const { core, recent } = options
  let queue: Promise<unknown> = Promise.resolve()

  const withDesktop = (info: SessionInfo): SessionInfo => ({ ...info, desktop: true, recentFiles: recent.list() })

  function oneAtATime(work: () => Promise<SessionInfo>): Promise<SessionInfo> {
    const next = queue.then(work, work)
    queue = next.catch(() => undefined)
    return next.then((info) => {
      const shown = withDesktop(info)
      options.onChange?.(shown)
      return shown
    })
  }

  async function open(path: string): Promise<SessionInfo> {
    const absolute = resolve(path)
    const info = await core.openApplication({ path: absolute })
    if (info.problems.length === 0 && info.application) recent.add(absolute)
    else if (!existsSync(absolute)) recent.remove(absolute)
    return info
  }

  const handlers: ContractHandlers = {
    ...core,
    session: async (input) => withDesktop(await core.session(input)),
    openApplication: ({ path }) =>
      oneAtATime(async () => {
        const chosen = path ?? (await options.chooseFile())
        return chosen === undefined ? core.session({}) : open(chosen)
      }),
    reloadApplication: (input) => oneAtATime(() => Promise.resolve(core.reloadApplication(input))),
    closeApplication: (input) => oneAtATime(() => Promise.resolve(core.closeApplication(input))),
  }

  return {
    handlers,
    decorate: (event) => (event.type === 'session' ? { ...event, session: withDesktop(event.session) } : event),
  }
}
