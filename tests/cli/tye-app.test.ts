// A Project Tye application run as its users run it: `micronetes run` in the folder of its
// tye.yaml, nothing edited.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { waitFor } from '../core/orchestrator-helpers'
import { cliRuns, runCli } from './cli-runs'
import { get } from '../http-get'

const { pids, startRun } = cliRuns()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'micronetes-tye-cli-'))
  folders.push(folder)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text)
  return folder
}

describe('finding the file', () => {
  it('finds tye.yaml, or tye.yml, in a folder; app.yaml first when both are there', async () => {
    const service = '- name: web\n  executable: node\n'
    const tyeOnly = folderWith({ 'tye.yml': service })
    expect(await runCli(['validate', ...[tyeOnly]])).toEqual({ code: 0, stdout: `${join(tyeOnly, 'tye.yml')}: 1 service, 1 replica, no ports\n`, stderr: '' })
    const both = folderWith({ 'tye.yaml': 'not: [a, list', 'app.yaml': service })
    expect(await runCli(['validate'], { cwd: both })).toEqual({ code: 0, stdout: 'app.yaml: 1 service, 1 replica, no ports\n', stderr: '' })
  })

  it('says which names it looked for in an empty folder', async () => {
    const empty = folderWith({})
    const result = await runCli(['validate', ...[empty]])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`${empty}:1:1: no app.yaml, tye.yaml or tye.yml in ${empty}\n`)
    const running = startRun([empty])
    expect(await running.exit).toBe(1)
    expect(running.output()).toBe(`micronetes run: no app.yaml, tye.yaml or tye.yml in ${empty}\n`)
  })
})

describe('running a Tye application unchanged', () => {
  it('validates and runs the shop fixture: discovery, env files, connection strings and the included service work', async () => {
    expect(await runCli(['validate', ...['tests/fixtures/tye/shop']])).toEqual({ code: 0, stdout: 'tests/fixtures/tye/shop/tye.yaml: 4 services, 4 replicas, 3 ports assigned at start\n', stderr: '' })
    const shop = startRun(['tests/fixtures/tye/shop', '--port', '0'])
    await waitFor('four running replicas', () => (shop.output().match(/running on process id/g) ?? []).length >= 4, 20_000)
    const port = Number(/Mapping external port (\d+) to internal port\(s\) .* for frontend \(binding webBinding\)/.exec(shop.output())![1])
    const answer = await waitFor('the frontend answers with the backend', async () => {
      const body = await get(port).catch(() => '')
      return body.includes('"backend":{"role"') ? (JSON.parse(body) as Record<string, unknown>) : undefined
    }, 20_000)
    expect(answer).toMatchObject({
      role: 'frontend',
      greeting: 'hello from the frontend',
      inventory: 'Server=db.example.com;Database=inventory',
      inventoryHost: null,
      backend: { role: 'backend', mode: 'fast', color: 'blue' },
    })
    expect(Number(answer.orders)).toBeGreaterThan(0)

    // the ingress routes by path prefix to the frontend and the backend
    const gateway = Number(/Ingress gateway listening on http:\/\/localhost:(\d+)/.exec(shop.output())![1])
    expect(JSON.parse(await get(gateway, '/shop'))).toMatchObject({ role: 'frontend', backend: { role: 'backend' } })
    expect(JSON.parse(await get(gateway, '/api/anything'))).toMatchObject({ role: 'backend' })

    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(shop.output())![1])
    const services = JSON.parse(await get(api, '/api/v1/services')) as { description: { name: string; bindings: { name: string | null; routes: string[]; connectionStringOnly: boolean }[] } }[]
    expect(services.map((s) => s.description.name)).toEqual(['frontend', 'backend', 'inventorydb', 'orders', 'gateway'])
    expect(services[0]!.description.bindings[0]).toMatchObject({ name: 'webBinding', routes: ['/health'] })
    expect(services[2]!.description.bindings[0]).toMatchObject({ connectionStringOnly: true })

    const replicaPids = [...pids]
    shop.stop()
    expect(await shop.exit).toBe(0)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
  })

  it("serves the API on the file's dashboardPort, unless --port says otherwise", async () => {
    const dashboardPort = await freePort()
    const folder = folderWith({ 'tye.yaml': `name: dash\ndashboardPort: ${dashboardPort}\nservices:\n- name: web\n  executable: ${process.execPath}\n  args: -e "setInterval(() => {}, 1000)"\n` })
    const app = startRun([folder, '--no-dashboard'])
    await waitFor('the API line', () => /API server running/.test(app.output()))
    expect(app.output()).toContain(`API server running on http://127.0.0.1:${dashboardPort}`)
    app.stop()
    expect(await app.exit).toBe(0)
  })
})
