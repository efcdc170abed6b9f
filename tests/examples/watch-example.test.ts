// examples/watch as its README tells it, on a copy with its port moved by a .env file: a saved
// greeting is rebuilt and served by a new replica, an empty one fails the build and the old
// replica keeps serving.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { Session } from '../../src-main/core/session'
import { killIfAlive, sleep, waitFor } from '../core/orchestrator-helpers'

const sessions: Session[] = []
const pids = new Set<number>()
let dir: string | undefined

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()))
  killIfAlive(pids)
  pids.clear()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function greeting(port: number): Promise<string> {
  return (await (await fetch(`http://127.0.0.1:${port}/`)).text()).split(' (')[0]!
}

describe('examples/watch', () => {
  it('rebuilds and serves a saved greeting, and keeps serving through a failed build', async () => {
    dir = mkdtempSync(join(tmpdir(), 'micronetes-example-watch-'))
    cpSync(resolve('examples/watch'), dir, { recursive: true })
    const port = await freePort()
    writeFileSync(join(dir, '.env'), `GREETER_PORT=${port}\nAUDIENCE=tests\n`)
    const session = new Session()
    sessions.push(session)
    session.subscribe((e) => {
      if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
    })
    expect((await session.open(join(dir, 'app.yaml'))).state).toBe('running')
    await waitFor('greeter ready', () => session.current()!.service('greeter').replicaStatuses.some((r) => r.state === 'ready'))
    expect(await greeting(port)).toBe('Hello, tests.')
    await sleep(300)

    writeFileSync(join(dir, 'greeter/src/greeting.txt'), 'Hi\n')
    await waitFor('new greeting', async () => (await greeting(port)) === 'Hi, tests.', 15_000)

    writeFileSync(join(dir, 'greeter/src/greeting.txt'), '\n')
    await waitFor('build failed', () => session.current()!.service('greeter').lastBuild?.state === 'failed', 15_000)
    expect(session.current()!.service('greeter').lastBuild!.message).toContain('src/greeting.txt: the greeting is empty')
    expect(await greeting(port)).toBe('Hi, tests.')
  }, 40_000)
})
