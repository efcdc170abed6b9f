// The watchdog that outlives the orchestrator: it stops what is registered when its pipe
// closes, and never signals a process group whose leader is not the process registered.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { nativeHelper } from '../../src-main/core/helper-entry'
import { OrphanGuard, watchdogEngine, type WatchdogProgram } from '../../src-main/core/orphan-guard'
import { commandLineOf, processAlive, readStat } from '../../src-main/core/proc'
import { killIfAlive, program, waitFor } from './orchestrator-helpers'

const children: ChildProcess[] = []
afterEach(() => {
  killIfAlive(children.splice(0).map((c) => c.pid!))
})

function groupLeader(script: string): ChildProcess {
  const child = spawn(process.execPath, [program(script)], { detached: true, stdio: 'ignore' })
  children.push(child)
  return child
}

// the native watchdog (native/watchdog) where it is built, the Node one (orphan-watchdog.ts) elsewhere:
// both must behave alike
const commandLines: Record<WatchdogProgram, RegExp> = {
  native: /\/out\/native\/micronetes-watchdog 2000$/,
  node: /--enable-source-maps \S+\/out\/helpers\/orphan-watchdog\.cjs 2000$/,
}

describe.each(['native', 'node'] as const)('OrphanGuard with the %s watchdog', (program) => {
  it('stops every registered group, SIGTERM-ignoring ones included, once its pipe closes', async () => {
    if (program === 'native') expect(nativeHelper('micronetes-watchdog'), 'out/native/micronetes-watchdog: run npm run build (needs cc)').toBeDefined()
    const guard = new OrphanGuard({ program })
    const polite = groupLeader('echo-server.mjs')
    const stubborn = groupLeader('ignore-term.mjs')
    await waitFor('both started', () => readStat(polite.pid!) && readStat(stubborn.pid!))
    guard.watch(polite.pid!)
    guard.watch(stubborn.pid!)
    expect(guard.pid).toBeGreaterThan(0)
    // a program of its own, built from native/watchdog or orphan-watchdog.ts, not a script in a string
    expect(commandLineOf(guard.pid!)).toMatch(commandLines[program])
    guard.close()
    await waitFor('both gone', () => !processAlive(polite.pid!) && !processAlive(stubborn.pid!), 10_000)
  })

  it('leaves alone a group whose leader is not the process registered (a reused pid)', async () => {
    const guard = new OrphanGuard({ program })
    const bystander = groupLeader('ignore-term.mjs')
    const other = groupLeader('ignore-term.mjs')
    const start = await waitFor('started', () => readStat(bystander.pid!)?.startTime)
    await waitFor('started', () => readStat(other.pid!))
    // as if the registered process had died and its pid gone to this bystander
    guard.watch(bystander.pid!, start - 1)
    guard.watch(other.pid!)
    const watchdog = guard.pid!
    guard.close()
    await waitFor('the watchdog is done', () => !processAlive(watchdog), 10_000)
    expect(processAlive(other.pid!)).toBe(false)
    expect(processAlive(bystander.pid!)).toBe(true)
  })

  it('forgets a group once released', async () => {
    const guard = new OrphanGuard({ program })
    const child = groupLeader('echo-server.mjs')
    await waitFor('started', () => readStat(child.pid!))
    const release = guard.watch(child.pid!)
    release()
    const watchdog = guard.pid!
    guard.close()
    await waitFor('the watchdog is done', () => !processAlive(watchdog), 10_000)
    expect(processAlive(child.pid!)).toBe(true)
  })
})

describe('watchdogEngine', () => {
  it('reaches an engine over its unix socket or plain tcp only', () => {
    expect(watchdogEngine('unix:///var/run/docker.sock')).toBe('unix:/var/run/docker.sock')
    expect(watchdogEngine('tcp://10.0.0.5:2375')).toBe('tcp:10.0.0.5:2375')
    expect(watchdogEngine('https://10.0.0.5:2376')).toBeUndefined()
    expect(watchdogEngine('ssh://me@host')).toBeUndefined()
  })
})
