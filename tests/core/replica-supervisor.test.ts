import { afterEach, describe, expect, it } from 'vitest'
import type { Service } from '../../src-shared/app-model'
import type { ReplicaStatus } from '../../src-shared/status'
import { createProcessRunner } from '../../src-main/core/process-runner'
import { processAlive } from '../../src-main/core/proc'
import { ReplicaSupervisor } from '../../src-main/core/replica-supervisor'
import type { BackoffOptions } from '../../src-main/core/backoff'
import { application, killIfAlive, nodeService, waitFor } from './orchestrator-helpers'
import { eachLine } from './each-line'

const supervisors: ReplicaSupervisor[] = []
const pids = new Set<number>()

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()))
  killIfAlive(pids)
  pids.clear()
})

const runner = createProcessRunner()

function supervise(service: Service, backoff?: BackoffOptions): { supervisor: ReplicaSupervisor; statuses: ReplicaStatus[]; lines: string[] } {
  const statuses: ReplicaStatus[] = []
  const lines: string[] = []
  const supervisor = new ReplicaSupervisor({
    application: application([service]),
    service,
    name: `${service.name}_0123abcd-1`,
    ordinal: 1,
    ports: [],
    env: { ...process.env, APP_INSTANCE: `${service.name}_0123abcd-1` } as Record<string, string>,
    shownEnvironment: {},
    runner: async () => runner,
    ...(backoff ? { backoff } : {}),
    onStatus: (s) => {
      statuses.push(s)
      if (s.pid) pids.add(s.pid)
    },
    onLines: eachLine((_stream, text) => lines.push(text)),
  })
  supervisors.push(supervisor)
  return { supervisor, statuses, lines }
}

function backoffMessages(statuses: ReplicaStatus[]): string[] {
  return statuses.filter((s) => s.state === 'backoff').map((s) => s.message ?? '')
}

describe('ReplicaSupervisor', () => {
  it('restarts a crashing replica with exponential backoff up to the cap, showing the next retry', async () => {
    const { supervisor, statuses } = supervise(nodeService('crashy', 'crash.mjs', { args: ['3', '0'] }), { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 })
    supervisor.start()
    await waitFor('5 backoffs', () => backoffMessages(statuses).length >= 5)
    expect(backoffMessages(statuses).slice(0, 5)).toEqual([
      'exited with code 3; restarting in 50 ms',
      'exited with code 3; restarting in 100 ms',
      'exited with code 3; restarting in 200 ms',
      'exited with code 3; restarting in 200 ms',
      'exited with code 3; restarting in 200 ms',
    ])
    const backoff = statuses.find((s) => s.state === 'backoff')!
    expect(backoff.nextRetryAt).toBeGreaterThan(0)
    expect(backoff.exitCode).toBe(3)
    expect(statuses.some((s) => s.state === 'crashed')).toBe(true)
    expect(supervisor.status().restarts).toBeGreaterThanOrEqual(4)
  })

  it('resets the backoff after a stable run', async () => {
    // each run lasts 300 ms, longer than resetAfterMs: the delay never grows
    const { supervisor, statuses } = supervise(nodeService('flaky', 'crash.mjs', { args: ['1', '300'] }), { initialMs: 50, maxMs: 10_000, resetAfterMs: 200 })
    supervisor.start()
    await waitFor('3 backoffs', () => backoffMessages(statuses).length >= 3)
    expect(backoffMessages(statuses).slice(0, 3)).toEqual(Array(3).fill('exited with code 1; restarting in 50 ms'))
  })

  it('a stop during backoff takes effect at once', async () => {
    const { supervisor, statuses } = supervise(nodeService('crashy', 'crash.mjs', { args: ['1', '0'] }), { initialMs: 120_000, maxMs: 120_000, resetAfterMs: 1000 })
    supervisor.start()
    await waitFor('backoff', () => supervisor.status().state === 'backoff')
    const launches = statuses.filter((s) => s.state === 'running').length
    await supervisor.stop()
    expect(supervisor.status().state).toBe('stopped')
    expect(statuses.filter((s) => s.state === 'running').length).toBe(launches)
  })

  it('follows the restart policy: never, on-failure with exit 0, always', async () => {
    const never = supervise(nodeService('never', 'crash.mjs', { args: ['2', '0'], restart: 'never' }), { initialMs: 10, maxMs: 10, resetAfterMs: 1000 })
    never.supervisor.start()
    await waitFor('crashed', () => never.supervisor.status().state === 'crashed')

    const clean = supervise(nodeService('clean', 'crash.mjs', { args: ['0', '0'] }), { initialMs: 10, maxMs: 10, resetAfterMs: 1000 })
    clean.supervisor.start()
    await waitFor('stopped', () => clean.statuses.some((s) => s.state === 'stopped' && s.exitCode === 0))

    const always = supervise(nodeService('always', 'crash.mjs', { args: ['0', '0'], restart: 'always' }), { initialMs: 10, maxMs: 10, resetAfterMs: 1000 })
    always.supervisor.start()
    await waitFor('2 restarts', () => always.supervisor.status().restarts >= 2)

    expect(never.supervisor.status()).toMatchObject({ state: 'crashed', exitCode: 2, restarts: 0, message: 'exited with code 2' })
    expect(clean.supervisor.status()).toMatchObject({ state: 'stopped', restarts: 0 })
  })

  it('kills a replica that ignores SIGTERM at the grace period', async () => {
    const { supervisor, lines } = supervise(nodeService('stubborn', 'ignore-term.mjs', { stopGracePeriodMs: 400 }))
    supervisor.start()
    await waitFor('started', () => lines.includes('started'))
    const pid = supervisor.status().pid!
    await supervisor.stop()
    expect(lines).toContain('SIGTERM ignored')
    expect(processAlive(pid)).toBe(false)
    expect(supervisor.status().state).toBe('stopped')
  })

  it('takes grandchildren down with the replica', async () => {
    const { supervisor, lines } = supervise(nodeService('parent', 'with-grandchild.mjs', { stopGracePeriodMs: 300 }))
    supervisor.start()
    const line = await waitFor('grandchild pid', () => lines.find((l) => l.startsWith('grandchild ')))
    const grandchild = Number(line.split(' ')[1])
    pids.add(grandchild)
    expect(processAlive(grandchild)).toBe(true)
    await supervisor.stop()
    expect(processAlive(grandchild)).toBe(false)
    expect(processAlive(supervisor.status().pid!)).toBe(false)
  })

  it('stops what a crashed replica left behind before it counts as crashed', async () => {
    const { supervisor, lines, statuses } = supervise(nodeService('orphaner', 'orphaning-parent.mjs', { restart: 'never' }))
    supervisor.start()
    const line = await waitFor('grandchild pid', () => lines.find((l) => l.startsWith('grandchild ')))
    const grandchild = Number(line.split(' ')[1])
    pids.add(grandchild)
    await waitFor('crashed', () => statuses.find((s) => s.state === 'crashed'))
    expect(processAlive(grandchild)).toBe(false)
  })

  it('frees the replica\'s port when stop returns', async () => {
    const { freePort } = await import('../free-port')
    const { createServer } = await import('node:net')
    const port = await freePort()
    const service = nodeService('web', 'echo-server.mjs', { bindings: [{ host: 'localhost', protocol: 'http', port: 1 }] })
    const statuses: string[] = []
    const supervisor = new ReplicaSupervisor({
      application: application([service]),
      service,
      name: 'web_0123abcd-1',
      ordinal: 1,
      ports: [port],
      env: { ...process.env, PORT: String(port) } as Record<string, string>,
      shownEnvironment: {},
      runner: async () => runner,
      onStatus: (s) => {
        statuses.push(s.state)
        if (s.pid) pids.add(s.pid)
      },
      onLines: () => {},
    })
    supervisors.push(supervisor)
    supervisor.start()
    await waitFor('ready', () => supervisor.status().state === 'ready')
    await supervisor.stop()
    const server = createServer()
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()))
    server.close()
    expect(statuses).toEqual(['starting', 'running', 'ready', 'stopping', 'stopped'])
  })

  it('says why a replica is not ready when nothing listens on its port', async () => {
    const { freePort } = await import('../free-port')
    const port = await freePort()
    const service = nodeService('deaf', 'ignore-term.mjs', { stopGracePeriodMs: 0 })
    const supervisor = new ReplicaSupervisor({
      application: application([service]),
      service,
      name: 'deaf_0123abcd-1',
      ordinal: 1,
      ports: [port],
      env: { ...process.env } as Record<string, string>,
      shownEnvironment: {},
      runner: async () => runner,
      readinessHintMs: 100,
      onStatus: (s) => s.pid && pids.add(s.pid),
      onLines: () => {},
    })
    supervisors.push(supervisor)
    supervisor.start()
    await waitFor('a hint', () => supervisor.status().message)
    expect(supervisor.status()).toMatchObject({ state: 'running', message: `not ready: nothing accepts connections on port ${port}; does it listen on the port in PORT (${port})?` })
  })

  it('a replica whose program is missing is failed, with the reason', async () => {
    const { supervisor } = supervise({ ...nodeService('missing', 'crash.mjs'), executable: 'no-such-program-micronetes' })
    supervisor.start()
    await waitFor('failed', () => supervisor.status().state === 'failed')
    expect(supervisor.status().message).toMatch(/no-such-program-micronetes.*not found/)
  })
})
