// `micronetes run` as a user runs it: the built CLI, a real app.yaml, real replicas.
import { describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { program, waitFor } from '../core/orchestrator-helpers'
import { cliRuns } from './cli-runs'
import { get } from '../http-get'
import { ConsoleReporter, mappingLines } from '../../src-main/cli/console-reporter'
import type { DeliveredEvent, SessionInfo } from '../../src-shared/contract'
import type { MicronetesEvent } from '../../src-shared/events'
import type { ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import { singleLine } from '../../src-main/core/line-splitter'

const { pids, appFile, startRun } = cliRuns()

const time = String.raw`\[\d\d:\d\d:\d\d (INF|WRN|ERR)\]`

describe('micronetes run', () => {
  it('prints the mapping, API and replica lines, serves through the proxy, and exits 0 on SIGTERM', async () => {
    const port = await freePort()
    const file = appFile(`name: demo
services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    replicas: 2
    bindings:
      - port: ${port}
`)
    const run = startRun([file, '--port', '0'])
    await waitFor('two running replicas', () => (run.output().match(/running on process id/g) ?? []).length === 2)
    const out = run.output()
    expect(out).toMatch(new RegExp(`${time} Mapping external port ${port} to internal port\\(s\\) \\d+, \\d+ for web\\n`))
    expect(out).toMatch(new RegExp(`${time} API server running on http://127\\.0\\.0\\.1:\\d+\\n`))
    expect(out).toMatch(new RegExp(`${time} web_[0-9a-f]{8}-1 running on process id \\d+ bound to http://localhost:\\d+\\n`))
    const lines = out.split('\n')
    expect(lines.findIndex((l) => l.includes('Mapping external port'))).toBeLessThan(lines.findIndex((l) => l.includes('API server running')))
    expect(out).not.toMatch(/native relay/)

    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])
    const services = JSON.parse(await get(api, '/api/v1/services')) as { description: { name: string } }[]
    expect(services.map((s) => s.description.name)).toEqual(['web'])

    await waitFor('a replica answers', async () => (await get(port).catch(() => '')).includes('web_'))
    await waitFor('replica output', () => /\[web_[0-9a-f]{8}-\d\]: listening on \d+/.test(run.output()))

    const replicaPids = [...pids]
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.output()).toMatch(/Shutting down/)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
  })

  /**
   * A web service run with a native helper replaced by one that exits at once (`env`): the
   * warning line the CLI prints, the session status the dashboard shows, and a replica that
   * still answers through the fallback.
   */
  async function withFailedHelper(env: NodeJS.ProcessEnv, warning: string, status: (session: SessionInfo) => string | undefined, reason: string): Promise<void> {
    const port = await freePort()
    const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    bindings:
      - port: ${port}
`)
    const run = startRun([file, '--port', '0', '--no-dashboard'], env)
    await waitFor('the API is up', () => /API server running on/.test(run.output()))
    // told as the session hears of it, among the start-up lines
    const line = new RegExp(`${time} ${warning.replace(/[()]/g, '\\$&')}\n`)
    await waitFor('the warning', () => line.test(run.output()))
    const api = /API server running on (http:\/\/\S+)/.exec(run.output())?.[1]?.replace(/\/$/, '')
    const answer = (await (await fetch(`${api}/api/v1/commands/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { result: SessionInfo }
    expect(status(answer.result)).toBe(reason)
    await waitFor('a replica answers', async () => (await get(port).catch(() => '')).includes('web_'))
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  }

  it('says so when the proxy\'s native relay cannot start, and serves through the Node threads', async () => {
    await withFailedHelper(
      { MICRONETES_RELAY_PATH: '/bin/false' },
      'Proxy: the native relay failed: it exited (code 1); it runs on Node threads instead',
      (session) => session.proxyFallback,
      'the native relay failed: it exited (code 1)',
    )
  })

  it('says so when micronetes-spawn cannot start, and starts the replicas through Node', async () => {
    await withFailedHelper(
      { MICRONETES_SPAWN_PATH: '/bin/false' },
      "Replicas: micronetes-spawn exited before it was ready (code 1); they are started by Node's spawn() from now on",
      (session) => session.spawnFallback,
      'micronetes-spawn exited before it was ready (code 1)',
    )
  })

  it('--no-dashboard serves the API but not the web dashboard', async () => {
    const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
`)
    const run = startRun([file, '--port', '0', '--no-dashboard'])
    await waitFor('the API is up', () => /API server running on/.test(run.output()))
    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())![1])
    expect(run.output()).not.toMatch(/Dashboard running/)
    expect(JSON.parse(await get(api, '/')).message).toMatch(/dashboard is off/)
    expect(JSON.parse(await get(api, '/api/v1/application')).name).toBeDefined()
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it("stops everything and exits 0 on Project Tye's shutdown, DELETE /api/v1/control", async () => {
    const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
`)
    const run = startRun([file, '--port', '0'])
    await waitFor('a running replica', () => /running on process id/.test(run.output()))
    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())![1])
    const replicaPids = [...pids]
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: api, path: '/api/v1/control', method: 'DELETE', agent: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
    expect(status).toBe(200)
    expect(await run.exit).toBe(0)
    expect(run.output()).toMatch(/Stopped/)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
  })

  it('a second Ctrl-C kills replicas that ignore SIGTERM without waiting out their grace period', async () => {
    const file = appFile(`services:
  - name: stubborn
    executable: ${process.execPath}
    args: ${program('ignore-term.mjs')}
    stopGracePeriod: 10m
`)
    const run = startRun([file, '--port', '0'])
    await waitFor('the replica started', () => run.output().includes(']: started'))
    const replicaPids = [...pids]
    run.child.kill('SIGINT')
    await waitFor('SIGTERM reached the replica', () => run.output().includes('SIGTERM ignored'))
    run.child.kill('SIGINT')
    await run.exit
    expect(run.output()).toContain('Forcing shutdown')
    await waitFor('the replica is gone', () => replicaPids.every((pid) => !processAlive(pid)))
  })

  it('prints file:line:col problems and exits 1 without starting anything', async () => {
    const file = appFile(`services:
  - name: web
    replicas: lots
`)
    const run = startRun([file, '--port', '0'])
    expect(await run.exit).toBe(1)
    expect(run.output()).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:\\d+:\\d+: `))
    expect(run.output()).not.toMatch(/running on process id/)
  })

  it('fails with the port, the service and the holder when a binding port is taken', async () => {
    const { createServer } = await import('node:net')
    const holder = createServer()
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()))
    const port = (holder.address() as { port: number }).port
    try {
      const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    bindings:
      - port: ${port}
`)
      const run = startRun([file, '--port', '0'])
      expect(await run.exit).toBe(1)
      expect(run.output()).toContain(`port ${port} of service web is already in use by process ${process.pid}`)
      expect(run.output()).not.toMatch(/running on process id/)
    } finally {
      holder.close()
    }
  })

  it('leaves no replica alive a few seconds after it is SIGKILLed', async () => {
    const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    replicas: 2
    bindings:
      - port: ${await freePort()}
  - name: stubborn
    executable: ${process.execPath}
    args: ${program('with-grandchild.mjs')}
`)
    const run = startRun([file, '--port', '0'])
    await waitFor('three running replicas', () => (run.output().match(/running on process id/g) ?? []).length === 3)
    const grandchild = Number((await waitFor('grandchild', () => /grandchild (\d+)/.exec(run.output())))[1])
    pids.add(grandchild)
    const replicaPids = [...pids]
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(true)
    run.child.kill('SIGKILL')
    await run.exit
    await waitFor('every replica gone', () => replicaPids.every((pid) => !processAlive(pid)), 8000)
  })
  it('prints a replica\'s output with its colours only: no clipboard write, title, query, DCS, NUL, BS or CR', async () => {
    const hostile = 'A\x1b]52;c;aGVsbG8=\x07B\x1b]0;title\x07C\x1b[6nD\x1bP1$rpayload\x1b\\E\x00F\x08G\rH\x1b[31mred\x1b[0m\tI'
    const file = appFile(`services:
  - name: shouty
    executable: ${process.execPath}
    args: ${program('hostile-log.mjs')}
    env:
      HOSTILE_LINE: '${JSON.stringify(hostile)}'
`)
    const run = startRun([file, '--port', '0', '--no-dashboard'])
    await waitFor('two printed lines', () => (run.output().match(/\[shouty_[0-9a-f]{8}-1\]: A/g) ?? []).length >= 2)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    const printed = run.output().split('\n').filter((l) => /\[shouty_[0-9a-f]{8}-1\]: A/.test(l))
    for (const line of printed) expect(line.slice(line.indexOf(']: A') + 3)).toBe('ABCDEFGH\x1b[31mred\x1b[0m\tI')
    // eslint-disable-next-line no-control-regex
    expect(run.output().replaceAll('\x1b[31m', '').replaceAll('\x1b[0m', '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
  })
})

describe('console lines', () => {
  const replica = (more: Partial<ReplicaStatus>): ReplicaStatus => ({
    name: 'web_65758656-1', service: 'web', ordinal: 1, state: 'running', ports: [51016], exitCode: null, restarts: 0, commandLine: [], ...more,
  })
  const service = (more: Partial<ServiceStatus>): ServiceStatus => ({
    name: 'web', kind: 'executable', replicas: 2, state: 'running', restarts: 0, bindings: [{ port: 5005, host: 'localhost', protocol: 'http' }], args: [], replicaStatuses: [], ...more,
  })
  const strip = (line: string): string => line.replace(/^\[\d\d:\d\d:\d\d (INF|WRN|ERR)\] /, '$1 ')

  it('says what happens to replicas, once each, and holds them until the header is out', () => {
    const lines: string[] = []
    const reporter = new ConsoleReporter((l) => lines.push(strip(l)))
    let id = 0
    const send = (event: MicronetesEvent): void => reporter.onEvent({ ...event, id: ++id } as DeliveredEvent)
    send({ type: 'service', service: service({}) })
    send({ type: 'replica', replica: replica({ pid: 8472 }) })
    reporter.printNow('INF', 'API server running on http://127.0.0.1:8000')
    reporter.release()
    send({ type: 'replica', replica: replica({ pid: 8472, state: 'ready' }) })
    send({ type: 'replica', replica: replica({ state: 'crashed', message: 'exited with code 1' }) })
    send({ type: 'replica', replica: replica({ state: 'backoff', message: 'exited with code 1; restarting in 2 s' }) })
    reporter.onLogRun({ service: 'web', replica: 'web_65758656-1', stream: 'system', time: 0, firstSeq: 1, ...singleLine('web_65758656-1 exited with code 1; restarting in 2 s') })
    reporter.onLogRun({ service: 'web', replica: 'web_65758656-1', stream: 'stderr', time: 0, firstSeq: 2, ...singleLine('boom') })
    send({ type: 'replica', replica: replica({ name: 'web_65758656-2', containerId: 'abcdef0123456789', state: 'running' }) })
    send({ type: 'replica', replica: replica({ name: 'db_00000000-1', service: 'db', ports: [], state: 'failed', message: 'cannot start "postgres": not found' }) })
    send({ type: 'service', service: service({ replicas: 3 }) })
    expect(lines).toEqual([
      'INF API server running on http://127.0.0.1:8000',
      'INF web_65758656-1 running on process id 8472 bound to http://localhost:51016',
      'ERR web_65758656-1 exited with code 1',
      'WRN web_65758656-1 restarting in 2 s',
      'INF [web_65758656-1]: boom',
      'INF web_65758656-2 running in container abcdef012345 bound to http://localhost:51016',
      'ERR db_00000000-1 failed: cannot start "postgres": not found',
      'INF Scaled web from 2 to 3 replicas',
    ])
  })

  it('maps each binding to its replicas\' internal ports', () => {
    const web = service({ bindings: [{ port: 5005, host: 'localhost', protocol: 'http' }, { name: 'grpc', port: 5006, host: 'localhost', protocol: 'https' }], replicaStatuses: [replica({ ports: [1, 2] }), replica({ ports: [3, 4] })] })
    expect(mappingLines([web, service({ name: 'db', kind: 'external' })])).toEqual([
      'Mapping external port 5005 to internal port(s) 1, 3 for web',
      'Mapping external port 5006 to internal port(s) 2, 4 for web (binding grpc)',
    ])
  })

  it('says a command name not on PATH as a warning with file:line:col, and runs the rest', async () => {
    const file = appFile(`services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
  - name: later
    executable: not-installed-yet-7c2e
`)
    const run = startRun([file, '--port', '0', '--no-dashboard'])
    await waitFor('web running', () => /web_[0-9a-f]{8}-1 running on process id/.test(run.output()))
    expect(run.output()).toContain(`${file}:6:17: warning: service "later": executable "not-installed-yet-7c2e" is not on PATH; the service fails to start unless it is there by then\n`)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })
})

