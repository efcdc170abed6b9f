// Wires a client to the dashboard: the picture from session() and services(), then status
// events into the store and log events onto the log bus. Status events that arrive while the
// picture loads are replayed over it, so none is lost. Over HTTP the picture is taken each
// time the event stream (re)opens, never before: a change between a picture and the stream's
// start would otherwise be missed for good.
import type { DeliveredEvent, MicronetesClient, SessionInfo } from '../../src-shared/contract'
import type { MicronetesEvent } from '../../src-shared/events'
import { publishLog } from '../logs/log-bus'
import { noticeGrouper } from './notices-store'
import { useResources } from './resources-store'
import { useDashboard } from './store'

export interface Connection {
  /** fetch the whole picture again (after the event stream was down) */
  resync(): void
  close(): void
}

export function connectDashboard(client: MicronetesClient, options: { resyncNow: boolean }): Connection {
  const store = useDashboard.getState
  let held: (MicronetesEvent | Extract<DeliveredEvent, { type: 'session' }>)[] | undefined
  let applicationId: string | undefined

  const handle = (event: DeliveredEvent): void => {
    if (event.type !== 'session' && event.type !== 'show-service') noticeGrouper.take(event)
    switch (event.type) {
      case 'resources':
        useResources.getState().add(event.sample)
        return
      case 'show-service':
        if (event.service) store().selectService(event.service)
        store().setView('services')
        return
      case 'log':
        publishLog({ kind: 'line', line: event.line })
        return
      case 'logs-dropped':
        publishLog({ kind: 'dropped', service: event.service, replica: event.replica, count: event.count })
        return
      case 'session':
        store().setSession(event.session)
        // while a picture loads, it is replayed over the picture, which may be older
        if (held) held.push(event)
        else followApplication(event.session)
        return
      case 'application':
        return
      case 'replica-removed':
        publishLog({ kind: 'removed', service: event.service, replica: event.replica })
        break
    }
    if (held) held.push(event)
    else store().applyEvent(event)
  }

  // another application opened (or this one reloaded): its services replace the old ones
  const followApplication = (session: SessionInfo): boolean => {
    const id = session.application?.id
    if (id === applicationId) return false
    applicationId = id
    resync()
    return true
  }

  let generation = 0
  const resync = (): void => {
    const mine = ++generation
    held = []
    // the figures so far come beside the picture, never in its way: a reading a second follows anyway
    Promise.resolve()
      .then(() => client.resources({}))
      .then((resources) => {
        if (mine === generation) useResources.getState().load(resources)
      })
      .catch(() => undefined)
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
        for (const event of pending) {
          if (event.type !== 'session') {
            store().applyEvent(event)
            continue
          }
          store().setSession(event.session)
          // a newer application: its own picture, loading now, supersedes the rest
          if (followApplication(event.session)) break
        }
      })
  }

  const unsubscribe = client.subscribe(handle)
  if (options.resyncNow) resync()
  return { resync, close: unsubscribe }
}
