import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectDashboard, type Connection } from '../../src-renderer/state/connect'
import { useDashboard } from '../../src-renderer/state/store'
import { emptyServices } from '../../src-renderer/state/apply-event'
import { clientUnderControl, service, session, settle, type ClientUnderControl } from './client-under-control'

const states = () => useDashboard.getState().services.order.map((name) => `${name}:${useDashboard.getState().services.byName[name]?.state}`)

describe('connectDashboard', () => {
  let remote: ClientUnderControl
  let connection: Connection

  beforeEach(() => {
    useDashboard.setState({ services: emptyServices, session: undefined, selectedService: undefined })
    remote = clientUnderControl()
  })
  afterEach(() => connection?.close())

  it('replays status events that arrive while the picture loads over the picture', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    // the event is newer than the picture that is still on its way
    remote.emit({ type: 'service', id: 1, service: service('web', 'degraded') })
    expect(states()).toEqual([])
    remote.answer('session', session('a'))
    remote.answer('services', [service('web', 'running'), service('db', 'running')])
    await settle()
    expect(states()).toEqual(['web:degraded', 'db:running'])
  })

  it('applies events directly once the picture is in', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    remote.answer('session', session('a'))
    remote.answer('services', [service('web')])
    await settle()
    remote.emit({ type: 'service', id: 2, service: service('web', 'stopped') })
    expect(states()).toEqual(['web:stopped'])
  })

  it('takes a new picture when another application is opened, and drops what the old one said after', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    remote.answer('session', session('a'))
    remote.answer('services', [service('web')])
    await settle()
    remote.emit({ type: 'session', id: 3, session: session('b') })
    expect(remote.pending('session')).toBe(1)
    remote.answer('session', session('b'))
    remote.answer('services', [service('api')])
    await settle()
    expect(states()).toEqual(['api:running'])
    expect(useDashboard.getState().session?.application?.id).toBe('b')
  })

  it('a resync that is overtaken by a newer one never writes its older picture', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    connection.resync()
    // the newer request answers first; the older one's answer comes late
    remote.answer('session', session('a'), 'newest')
    remote.answer('services', [service('new')], 'newest')
    await settle()
    remote.answer('session', session('a'))
    remote.answer('services', [service('old')])
    await settle()
    expect(states()).toEqual(['new:running'])
  })

  it('keeps the services it has when the services call fails, and still replays held events', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    remote.answer('session', session('a'))
    remote.answer('services', [service('web')])
    await settle()
    connection.resync()
    remote.emit({ type: 'service', id: 4, service: service('web', 'failed') })
    remote.answer('session', session('a'))
    remote.fail('services', 'connection refused')
    await settle()
    // an empty picture (the call failed) then the held event on top of it
    expect(states()).toEqual(['web:failed'])
  })

  it('an application opened while the first picture loads gets its own picture after it', async () => {
    connection = connectDashboard(remote.client, { resyncNow: true })
    remote.emit({ type: 'session', id: 6, session: session('b') })
    // held: no second picture is asked for while the first is on its way
    expect(remote.pending('session')).toBe(1)
    remote.answer('session', session('a'))
    remote.answer('services', [service('web')])
    await settle()
    expect(remote.pending('session')).toBe(1)
    remote.answer('session', session('b'))
    remote.answer('services', [service('api')])
    await settle()
    expect(states()).toEqual(['api:running'])
  })

  it('ignores events after close', async () => {
    connection = connectDashboard(remote.client, { resyncNow: false })
    connection.close()
    remote.emit({ type: 'service', id: 5, service: service('web') })
    expect(states()).toEqual([])
  })
})
