import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DeliveredEvent } from '../../src-shared/contract'
import { dispatch } from '../../src-shared/dispatch'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { createRuntime } from '../../src-main/core/runtime'
import { Session } from '../../src-main/core/session'
import { program, waitFor } from './orchestrator-helpers'
import { sessionRuns } from './session-runs'

const { sessions, pids, folders } = sessionRuns()

function session(desktop: boolean): Session {
  const s = new Session({ desktop })
  s.subscribe((e) => {
    if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
  })
  sessions.push(s)
  return s
}

function appFile(yaml: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'micronetes-session-'))
  folders.push(folder)
  writeFileSync(join(folder, 'app.yaml'), yaml)
  return join(folder, 'app.yaml')
}

async function webApp(): Promise<string> {
  return appFile(`name: shop
services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    bindings:
      - port: ${await freePort()}
`)
}

describe('Session', () => {
  it('tells its subscribers when micronetes-spawn dies under the application, and starts the replica again through Node', async () => {
    const runtime = createRuntime()
    const s = new Session({ runtime })
    sessions.push(s)
    const told: (string | undefined)[] = []
    const running = new Set<number>()
    s.subscribe((e) => {
      if (e.type === 'session') told.push(e.session.spawnFallback)
      if (e.type === 'replica' && e.replica.pid) {
        pids.add(e.replica.pid)
        if (e.replica.state === 'running') running.add(e.replica.pid)
      }
    })
    await s.open(await webApp())
    const first = await waitFor('the replica running', () => [...running][0])
    expect(s.info().spawnFallback).toBeUndefined()
    process.kill(runtime.spawner.pid as number, 'SIGKILL')
    await waitFor('the session event', () => told.some((reason) => reason?.includes('micronetes-spawn exited (SIGKILL)')))
    expect(s.info().spawnFallback).toBe('micronetes-spawn exited (SIGKILL)')
    // the replica counted as exited: stopped, and started again by its restart policy, through Node
    await waitFor('a new replica process', () => [...running].find((pid) => pid !== first), 20_000)
    expect(processAlive(first)).toBe(false)
  })

  it('opens, runs and closes an application, numbering every event', async () => {
    const s = session(true)
    const events: DeliveredEvent[] = []
    s.subscribe((e) => events.push(e))
    const file = await webApp()
    const info = await s.open(file)
    expect(info).toMatchObject({ state: 'running', application: { name: 'shop', source: file }, problems: [], desktop: true, recentFiles: [file] })
    await waitFor('web running', () => s.current()?.service('web').state === 'running')
    const ids = events.map((e) => e.id)
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i))
    expect(events.some((e) => e.type === 'session' && e.session.state === 'running')).toBe(true)

    const pid = s.current()!.service('web').replicaStatuses[0]!.pid!
    const closed = await s.close()
    expect(closed.state).toBe('empty')
    expect(s.current()).toBeUndefined()
    expect(processAlive(pid)).toBe(false)
  })

  it('replays what a reconnecting subscriber missed', async () => {
    const s = session(true)
    await s.open(await webApp())
    await waitFor('running', () => s.current()?.service('web').state === 'running')
    const all: DeliveredEvent[] = []
    s.subscribe((e) => all.push(e), { after: 0 })
    const late: DeliveredEvent[] = []
    const from = all[3]!.id
    s.subscribe((e) => late.push(e), { after: from })
    expect(late.map((e) => e.id)).toEqual(all.filter((e) => e.id > from).map((e) => e.id))
  })

  it('reports problems of a malformed file and starts nothing', async () => {
    const s = session(true)
    const file = appFile('services:\n  - name: web\n    replicas: -1\n')
    const info = await s.open(file)
    expect(info.state).toBe('error')
    expect(info.problems.length).toBeGreaterThan(0)
    expect(info.problems.map((p) => p.line)).toContain(3)
    expect(info.problems[0]!.file).toContain('app.yaml')
    expect(s.current()).toBeUndefined()
    await expect(dispatch(s.handlers, 'services', {})).resolves.toMatchObject({ error: { code: 'unavailable' } })
  })

  it('reports a port conflict as an error with its message', async () => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()))
    const port = (holder.address() as { port: number }).port
    try {
      const s = session(true)
      const info = await s.open(appFile(`services:\n  - name: web\n    executable: node\n    bindings:\n      - port: ${port}\n`))
      expect(info.state).toBe('error')
      expect(info.message).toContain(`port ${port} of service web is already in use`)
    } finally {
      holder.close()
    }
  })

  it('serves the contract: scale through dispatch, reload, and the CLI refuses to open another file', async () => {
    const s = session(false)
    const file = await webApp()
    await s.open(file)
    const scaled = await dispatch(s.handlers, 'scale', { service: 'web', replicas: 2 })
    expect(scaled).toMatchObject({ result: { name: 'web', replicas: 2 } })
    await expect(dispatch(s.handlers, 'scale', { service: 'nope', replicas: 2 })).resolves.toMatchObject({ error: { code: 'not-found' } })
    await expect(dispatch(s.handlers, 'openApplication', { path: file })).resolves.toMatchObject({ error: { code: 'conflict' } })
    const reloaded = await dispatch(s.handlers, 'reloadApplication', {})
    expect(reloaded).toMatchObject({ result: { state: 'running' } })
    // a reload starts from the file again: one replica, as written
    expect(s.current()!.service('web').replicas).toBe(1)
  })
})
