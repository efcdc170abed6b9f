// `micronetes run app.yaml api`: a subset with what it depends on, in order, the rest listed
// as not started and startable through the API; what each waits for is on the console.
import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { program, waitFor } from '../core/orchestrator-helpers'
import { cli, cliRuns } from './cli-runs'

const { children, pids, appFile } = cliRuns()

function runCli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let text = ''
  const take = (c: Buffer): void => {
    text += c.toString()
    for (const m of text.matchAll(/on process id (\d+)/g)) pids.add(Number(m[1]))
  }
  child.stdout!.on('data', take)
  child.stderr!.on('data', take)
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, output: () => text, exit }
}

function call(port: number, method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

interface ServiceEvent {
  state: string
  waitingFor?: string[]
  message?: string
}

/**
 * The service events about one service, live from the event stream, until it runs. (A replay
 * keeps only a service's latest status, so the stream is read from the start of the run.)
 */
function serviceEventsUntilRunning(port: number, service: string): Promise<ServiceEvent[]> {
  return new Promise((resolve, reject) => {
    const events: ServiceEvent[] = []
    const req = request({ host: '127.0.0.1', port, path: `/api/v1/events?types=service&service=${service}&lastEventId=0`, agent: false }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => {
        text += c.toString()
        const lines = text.split('\n')
        text = lines.pop()!
        for (const line of lines) {
          if (!line.startsWith('data: ')) continue
          const event = JSON.parse(line.slice(6)) as { type: string; service?: ServiceEvent }
          if (event.type !== 'service') continue
          const { state, waitingFor, message } = event.service!
          events.push({ state, ...(waitingFor ? { waitingFor } : {}), ...(message ? { message } : {}) })
          if (state === 'running') {
            req.destroy()
            resolve(events)
          }
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
}

async function appYaml(): Promise<string> {
  const server = program('health-server.mjs')
  return appFile(`services:
  - name: db
    executable: ${process.execPath}
    args: ${server}
    env: { LISTEN_AFTER_MS: "1500" }
    bindings: [{ port: ${await freePort()} }]
    readiness:
      http: { path: /ready }
      period: 100ms
  - name: api
    executable: ${process.execPath}
    args: ${server}
    bindings: [{ port: ${await freePort()} }]
    dependsOn: [db]
  - name: web
    executable: ${process.execPath}
    args: ${server}
    bindings: [{ port: ${await freePort()} }]
    dependsOn: [api]
`)
}

describe('micronetes run with services named', () => {
  it('starts them and what they depend on, in order, and lists the rest as not started until started through the API', async () => {
    const run = runCli([await appYaml(), 'api', '--port', '0', '--no-dashboard'])
    const apiUrl = await waitFor('the API', () => /API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output()))
    const apiEvents = serviceEventsUntilRunning(Number(apiUrl[1]), 'api')
    await waitFor('api running', () => /api_[0-9a-f]{8}-1 running on process id/.test(run.output()))
    const out = run.output()
    const lines = out.split('\n')
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l))
    expect(out).toMatch(/\[\d\d:\d\d:\d\d INF\] web not started: not among the services asked for; start it from the dashboard or with POST \/api\/v1\/services\/web\/start\n/)
    expect(out).toMatch(/INF\] api waiting for db \(ready\)\n/)
    expect(out).toMatch(/INF\] db_[0-9a-f]{8}-1 ready: GET \/ready answered 200\n/)
    expect(at(/db_\w+-1 ready: /)).toBeLessThan(at(/api_\w+-1 running on/))
    expect(out).not.toMatch(/web_[0-9a-f]{8}-1 running/)

    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])
    const web = JSON.parse(await call(api, 'GET', '/api/v1/services/web')) as { notStarted?: string; status?: unknown }
    expect(web.notStarted).toBe('not among the services asked for')
    // the replica's health and last probe result, in Tye's shape
    const db = JSON.parse(await call(api, 'GET', '/api/v1/services/db')) as { replicas: Record<string, { health: string; readiness: { ok: boolean; message: string; at: number } }> }
    const [dbReplica] = Object.values(db.replicas)
    expect(dbReplica).toMatchObject({ health: 'healthy', readiness: { ok: true, message: 'GET /ready answered 200' } })
    // the event stream said what api waited for, then that it runs
    const said = await apiEvents
    expect(said[0]).toEqual({ state: 'waiting', waitingFor: ['db (ready)'], message: 'waiting for db (ready)' })
    expect(said.at(-1)).toEqual({ state: 'running' })
    await call(api, 'POST', '/api/v1/services/web/start')
    await waitFor('web running', () => /web_[0-9a-f]{8}-1 running on process id/.test(run.output()))

    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('refuses a service the file does not have, starting nothing', async () => {
    const run = runCli([await appYaml(), 'api', 'cache', '--port', '0', '--no-dashboard'])
    expect(await run.exit).toBe(1)
    expect(run.output()).toContain('micronetes run: no service named cache in this application (its services: db, api, web)\n')
    expect(run.output()).not.toMatch(/running on process id/)
  })
})
