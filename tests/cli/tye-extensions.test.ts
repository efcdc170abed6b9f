// Tye's extensions and Azure Functions on this machine: dapr runs a daprd sidecar per replica
// (a stand-in daprd on PATH, since none installs here) and tells the app its ports; without
// daprd, func or a pullable image, only that part fails, naming what to install, and the rest runs.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { processAlive } from '../../src-main/core/proc'
import { waitFor } from '../core/orchestrator-helpers'
import { cliRuns } from './cli-runs'
import { get } from '../http-get'

const { pids, startRun } = cliRuns()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function tool(bin: string, name: string, script: string, record?: string): void {
  const log = record ? `echo "$@" >> "${record}"\n` : ''
  writeFileSync(join(bin, name), `#!/bin/sh\n${log}exec "${process.execPath}" "${resolve(script)}" "$@"\n`)
  chmodSync(join(bin, name), 0o755)
}

async function services(out: string): Promise<{ description: { name: string; bindings: { name: string | null; port: number }[] }; replicas: Record<string, { state: string; message: string | null; environment: Record<string, string> }> }[]> {
  const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1])
  return JSON.parse(await get(api, '/api/v1/services')) as never
}

function app(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'micronetes-ext-'))
  folders.push(folder)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true })
    writeFileSync(join(folder, path), text)
  }
  return folder
}

const echo = resolve('tests/fixtures/programs/path-echo.mjs')

describe("Tye's extensions", () => {
  it('runs a daprd sidecar per replica of each app, with its settings, and tells the app its ports', async () => {
    const folder = app({
      'tye.yaml': `name: dapr-app\nextensions:\n- name: dapr\n  log-level: debug\n  config: tracing\n  services:\n    Api:\n      app-id: the-api\nservices:\n- name: Api\n  executable: ${process.execPath}\n  args: ${echo}\n  replicas: 2\n  bindings: [{protocol: http}]\n`,
    })
    const bin = join(folder, 'bin')
    mkdirSync(bin)
    tool(bin, 'daprd', 'tests/fixtures/programs/daprd-standin.mjs')
    const log = join(folder, 'daprd.jsonl')
    const run = startRun([folder, '--port', '0', '--no-dashboard'], { PATH: `${bin}:${process.env.PATH ?? ''}`, DAPRD_STANDIN_LOG: log })
    await waitFor('four running replicas', () => (run.output().match(/running on process id/g) ?? []).length >= 4, 30_000)

    const list = await waitFor('the sidecars are ready', async () => {
      const all = await services(run.output())
      const sidecar = all.find((s) => s.description.name === 'api-dapr')
      return sidecar && Object.values(sidecar.replicas).filter((r) => r.state === 'ready').length === 2 ? all : undefined
    }, 30_000)
    const sidecar = list.find((s) => s.description.name === 'api-dapr')!
    const api = list.find((s) => s.description.name === 'api')!
    const httpPort = sidecar.description.bindings.find((b) => b.name === 'http')!.port
    expect(Object.values(api.replicas)[0]!.environment.DAPR_HTTP_PORT).toBe(String(httpPort))
    expect(Object.values(api.replicas)[0]!.environment.DAPR_GRPC_PORT).toBe(String(sidecar.description.bindings.find((b) => b.name === 'grpc')!.port))

    const through = JSON.parse(await get(httpPort)) as { args: string[]; app: { instance: string } }
    expect(through.app.instance).toMatch(/^api_[0-9a-f]{8}-[12]$/)
    expect(through.args.slice(0, 4)).toEqual(['--app-id', 'the-api', '--app-port', String(api.description.bindings[0]!.port)])
    expect(through.args).toEqual(expect.arrayContaining(['--log-level', 'debug', '--config', join(folder, 'components/tracing.yaml')]))
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2)

    // the sidecars follow their app when it is scaled; they are not scaled on their own
    const apiPort = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())![1])
    const scale = (name: string, replicas: number): Promise<Response> =>
      fetch(`http://127.0.0.1:${apiPort}/api/v1/services/${name}/scale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replicas }) })
    const refused = await scale('api-dapr', 1)
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { message: string }).message).toContain('scale api')
    expect((await scale('api', 3)).status).toBe(200)
    await waitFor('three sidecars ready', async () => {
      const sidecars = (await services(run.output())).find((s) => s.description.name === 'api-dapr')
      return sidecars && Object.values(sidecars.replicas).filter((r) => r.state === 'ready').length === 3
    }, 30_000)
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(3)

    const replicaPids = [...pids]
    run.stop()
    expect(await run.exit).toBe(0)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
  })

  it('fails only what cannot run here, naming what to install: daprd, func, an image that cannot be pulled', async () => {
    const folder = app({
      'tye.yaml': `name: missing-tools\nextensions:\n- name: dapr\n- name: zipkin\nservices:\n- name: web\n  executable: ${process.execPath}\n  args: ${echo}\n  bindings: [{protocol: http}]\n- name: fn\n  azureFunction: Functions\\\\\n`,
      'Functions/host.json': '{}',
    })
    // node is given by its full path: the PATH holds nothing else, so daprd and func are missing
    const run = startRun([folder, '--port', '0', '--no-dashboard'], { PATH: join(folder, 'empty-path') })
    const failed = await waitFor('the missing parts failed', async () => {
      if (!/API server running/.test(run.output())) return undefined
      const all = await services(run.output())
      const message = (name: string) => Object.values(all.find((s) => s.description.name === name)?.replicas ?? {})[0]?.message ?? ''
      const states = ['web-dapr', 'fn', 'zipkin'].map((name) => Object.values(all.find((s) => s.description.name === name)?.replicas ?? {})[0]?.state)
      return states.every((s) => s === 'failed') ? { dapr: message('web-dapr'), fn: message('fn'), zipkin: message('zipkin') } : undefined
    }, 60_000)
    expect(failed.dapr).toMatch(/^daprd \(the Dapr runtime\) is not installed: install the Dapr CLI and run "dapr init"/)
    expect(failed.fn).toMatch(/^func \(Azure Functions Core Tools\) is not installed: npm install -g azure-functions-core-tools@4/)
    expect(failed.zipkin).toMatch(/openzipkin\/zipkin/)
    const web = (await services(run.output())).find((s) => s.description.name === 'web')!
    await waitFor('web still answers', async () => (await get(web.description.bindings[0]!.port).catch(() => '')).includes('"instance":"web_'), 20_000)

    run.stop()
    expect(await run.exit).toBe(0)
  }, 90_000)

  it('runs an Azure Function with func start --port in its folder', async () => {
    const folder = app({ 'tye.yaml': 'services:\n- name: fn\n  azureFunction: Functions/\n  pathToFunc: tools/func\n', 'Functions/host.json': '{}' })
    mkdirSync(join(folder, 'tools'))
    const calls = join(folder, 'func-calls.txt')
    tool(join(folder, 'tools'), 'func', 'tests/fixtures/programs/path-echo.mjs', calls)
    const run = startRun([folder, '--port', '0', '--no-dashboard'], { PATH: process.env.PATH ?? '' })
    await waitFor('the function runs', () => /fn_[0-9a-f]{8}-1 running on process id/.test(run.output()), 20_000)
    const fn = (await services(run.output())).find((s) => s.description.name === 'fn')!
    const answer = await waitFor('the function answers', async () => (await get(fn.description.bindings[0]!.port).catch(() => '')) || undefined, 20_000)
    expect(answer).toContain('"instance":"fn_')
    expect(readFileSync(calls, 'utf8').trim()).toMatch(/^start --port \d+$/)
    run.stop()
    expect(await run.exit).toBe(0)
  })
})
