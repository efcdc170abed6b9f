// The desktop's native notifications over the Electron double: grouped per service while a
// replica crash-loops, none while the window is focused, the earlier one closed when replaced,
// a click brings the window up on the service, and one when the application is ready.
import { beforeEach, describe, expect, it } from 'vitest'
import type { DeliveredEvent } from '../../src-shared/contract'
import type { ReplicaState, ReplicaStatus, ServiceState, ServiceStatus } from '../../src-shared/status'
import { startDesktopNotifications } from '../../src-main/electron/notifications'
import { FakeBrowserWindow, FakeNotification } from './electron-double'

function replica(name: string, state: ReplicaState, message?: string): DeliveredEvent {
  const status: ReplicaStatus = { name, service: name.split('_')[0]!, ordinal: 1, state, ports: [], exitCode: state === 'crashed' ? 1 : null, restarts: 0, commandLine: [], ...(message ? { message } : {}) }
  return { type: 'replica', id: 0, replica: status }
}
function service(name: string, state: ServiceState): DeliveredEvent {
  const status: ServiceStatus = { name, kind: 'executable', replicas: 1, state, restarts: 0, bindings: [], args: [], replicaStatuses: [] }
  return { type: 'service', id: 0, service: status }
}

describe('desktop notifications', () => {
  let send: (event: DeliveredEvent) => void
  let timers: (() => void)[]
  let window: FakeBrowserWindow
  const shownServices: (string | undefined)[] = []

  beforeEach(() => {
    FakeNotification.shown.length = 0
    shownServices.length = 0
    timers = []
    window = new FakeBrowserWindow({})
    window.focused = false
    startDesktopNotifications({
      subscribe: (listener) => {
        send = listener
        return () => {}
      },
      isSupported: () => FakeNotification.isSupported(),
      create: (options) => new FakeNotification(options),
      isWindowFocused: () => window.isFocused(),
      show: (name) => {
        window.focus()
        shownServices.push(name)
      },
      timers: { setTimer: (fn) => timers.push(fn), clearTimer: () => {}, windowMs: 10_000 },
    })
  })

  /** the grouping window ends */
  const windowEnds = (): void => {
    for (const fn of timers.splice(0)) fn()
  }

  it('tells the first crash at once and the rest of a crash loop as one notification', () => {
    send(replica('web_1-1', 'crashed', 'exited with code 3'))
    send(replica('web_1-1', 'backoff'))
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'web: a replica is in trouble', body: 'web_1-1 exited with code 3' }])
    for (let i = 0; i < 5; i++) {
      send(replica('web_1-1', 'starting'))
      send(replica('web_1-1', 'crashed', 'exited with code 3'))
      send(replica('web_1-1', 'backoff'))
    }
    expect(FakeNotification.shown).toHaveLength(1)
    windowEnds()
    expect(FakeNotification.shown).toHaveLength(2)
    expect(FakeNotification.shown[1]!.options.title).toBe('web: 6 replica problems in 10 s')
    // the grouped one replaces the first
    expect(FakeNotification.shown[0]!.closed).toBe(true)
    // a quiet window ends the group: the next crash is news again
    windowEnds()
    send(replica('web_1-1', 'starting'))
    send(replica('web_1-1', 'failed', 'gave up after 5 restarts'))
    expect(FakeNotification.shown.at(-1)!.options.body).toBe('web_1-1 failed: gave up after 5 restarts')
  })

  it('groups per service, and says nothing natively while the window is focused', () => {
    send(replica('web_1-1', 'crashed'))
    send(replica('api_1-1', 'crashed'))
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['web: a replica is in trouble', 'api: a replica is in trouble'])
    window.focused = true
    windowEnds()
    send(replica('db_1-1', 'crashed'))
    expect(FakeNotification.shown).toHaveLength(2)
  })

  it('shows the service when clicked', () => {
    send(replica('web_1-1', 'failed', 'no such file'))
    FakeNotification.shown[0]!.click()
    expect(shownServices).toEqual(['web'])
    expect(window.isFocused()).toBe(true)
  })

  it('tells once when the application is ready after a start or a reload', () => {
    send({ type: 'application', id: 0, state: 'starting' })
    send(service('web', 'starting'))
    send(service('worker', 'running'))
    send({ type: 'application', id: 0, state: 'running' })
    expect(FakeNotification.shown).toHaveLength(0)
    send(service('web', 'running'))
    send(service('web', 'running'))
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Application ready', body: '2 services running' }])
    // a reload starts over
    send({ type: 'application', id: 0, state: 'starting' })
    send(service('web', 'running'))
    send({ type: 'application', id: 0, state: 'running' })
    expect(FakeNotification.shown).toHaveLength(2)
  })
})
