// Wires a client to the dashboard: the picture from session() and services(), then status
// events into the store and log events onto the log bus. Status events that arrive while the
// picture loads are replayed over it, so none is lost. Over HTTP the picture is taken each
// time the event stream (re)opens, never before: a change between a picture and the stream's
// start would otherwise be missed for good.
import type { DeliveredEvent, MicronetesClient } from '../../src-shared/contract'
import type { MicronetesEvent } from '../../src-shared/events'
import { publishLog } from '../logs/log-bus'
import { useDashboard } from './store'

export interface Connection {
  /** fetch the whole picture again (after the event stream was down) */
  resync(): void
  close(): void
}

export function connectDashboard(client: MicronetesClient, options: { resyncNow: boolean }): Connection {
  const store = useDashboard.getState
  let held: MicronetesEvent[] | undefined
  let applicationId: string | undefined

  const handle = (event: DeliveredEvent): void => {
    switch (event.type) {
      case 'log':
        publishLog({ kind: 'line', line: event.line })
        return
      case 'logs-dropped':
        publishLog({ kind: 'dropped', service: event.service, replica: event.replica, count: event.count })
        return
      case 'session': {
        store().setSession(event.session)
        const id = event.session.application?.id
        // another application opened (or this one reloaded): its services replace the old ones
        if (id !== applicationId) {
          applicationId = id
          resync()
        }
        return
      }
      case 'application':
        return
      case 'replica-removed':
        publishLog({ kind: 'removed', service: event.service, replica: event.replica })
        break
    }
    if (held) held.push(event)
    else store().applyEvent(event)
  }

  let generation = 0
  const resync = (): void => {
    const mine = ++generation
    held = []
    Promise.all([client.session({}), client.services({}).catch(() => [])])
      .then(([session, services]) => {
        if (mine !== generation) return
        applicationId = session.application?.id
        store().setSession(session)
        store().setServices(services)
      })
      .catch((err: unknown) => console.error('micronetes: cannot load the application state', err))
      .finally(() => {
        if (mine !== generation) return
        const pending = held ?? []
        held = undefined
        for (const event of pending) store().applyEvent(event)
      })
  }

  const unsubscribe = client.subscribe(handle)
  if (options.resyncNow) resync()
  return { resync, close: unsubscribe }
}
