// Tye's ingress as a user meets it: an HTTP port in front of the services, routing by path
// prefix (trimmed unless preservePath) and by Host, through each service's round-robin proxy,
// a clear 404 and 502, and the ingress listed in the API like a service.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { waitFor } from '../core/orchestrator-helpers'
import { cliRuns } from './cli-runs'

const { pids, startRun } = cliRuns()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function get(port: number, path: string, host?: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((done, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false, headers: host ? { host } : {} }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => done({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }))
    })
      .on('error', reject)
      .end()
  })
}

describe("Tye's ingress", () => {
  it('routes by path and host through the round-robin proxies, with 404 and 502 pages, and shows in the API', async () => {
    const ingressPort = await freePort()
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-ingress-'))
    folders.push(folder)
    const echo = resolve('tests/fixtures/programs/path-echo.mjs')
    writeFileSync(join(folder, 'tye.yaml'), [
      'name: apps-with-ingress',
      'ingress:',
      '  - name: Gateway',
      '    bindings:',
      `      - port: ${ingressPort}`,
      '    rules:',
      '      - path: /A',
      '        service: appA',
      '      - path: /B/',
      '        service: appB',
      '      - path: /C',
      '        service: appA',
      '        preservePath: true',
      '      - host: b.example.com',
      '        service: appB',
      '      - path: /down',
      '        service: down',
      'services:',
      '- name: appA',
      `  executable: ${process.execPath}`,
      `  args: ${echo}`,
      '  replicas: 2',
      '  bindings: [{protocol: http}]',
      '- name: appB',
      `  executable: ${process.execPath}`,
      `  args: ${echo}`,
      '  bindings: [{protocol: http}]',
      '- name: down',
      `  executable: ${process.execPath}`,
      '  args: [-e, "process.exit(3)"]',
      '  restart: never',
      '  bindings: [{protocol: http}]',
      '',
    ].join('\n'))

    const { output, exit, stop } = startRun([folder, '--port', '0', '--no-dashboard'])
    await waitFor('the API line', () => /API server running/.test(output()), 20_000)
    expect(output()).toContain(`Ingress gateway listening on http://localhost:${ingressPort}`)

    const a = await waitFor('appA answers through the ingress', async () => {
      const answer = await get(ingressPort, '/a/items?x=1').catch(() => undefined)
      return answer?.status === 200 ? (JSON.parse(answer.body) as { instance: string; path: string; forwardedHost: string }) : undefined
    }, 20_000)
    expect(a.path).toBe('/items?x=1')
    expect(a.instance).toMatch(/^appa_[0-9a-f]{8}-[12]$/)
    expect(a.forwardedHost).toBe(`localhost:${ingressPort}`.replace('localhost', '127.0.0.1'))

    // both replicas of appA take turns behind its proxy
    await waitFor('both appA replicas answer', async () => {
      const seen = new Set<string>()
      for (let i = 0; i < 6; i++) seen.add((JSON.parse((await get(ingressPort, '/A')).body) as { instance: string }).instance)
      return seen.size === 2
    }, 20_000)
    expect(JSON.parse((await get(ingressPort, '/A')).body)).toMatchObject({ path: '/' })
    expect(JSON.parse((await get(ingressPort, '/C/keep')).body)).toMatchObject({ path: '/C/keep', instance: expect.stringMatching(/^appa_/) })
    expect(JSON.parse((await get(ingressPort, '/b/x')).body)).toMatchObject({ path: '/x', instance: expect.stringMatching(/^appb_/) })
    expect(JSON.parse((await get(ingressPort, '/anything', 'B.example.com:80')).body)).toMatchObject({ path: '/anything', instance: expect.stringMatching(/^appb_/) })
    // a path that only starts like a rule's is not under it
    const notFound = await get(ingressPort, '/Apple')
    expect(notFound.status).toBe(404)
    expect(notFound.type).toBe('text/html; charset=utf-8')
    expect(notFound.body).toContain('No rule of ingress &#34;gateway&#34; matches')
    expect(notFound.body).toContain('<code>*/A -&#62; appa</code>')
    const bad = await get(ingressPort, '/down')
    expect(bad.status).toBe(502)
    expect(bad.body).toContain('Service &#34;down&#34; did not answer')

    const api = Number(/API server running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output())![1])
    const services = JSON.parse((await get(api, '/api/v1/services')).body) as { description: { name: string; bindings: { port: number }[] }; serviceType: string; replicas: Record<string, { pid?: number; state: string }> }[]
    const gateway = services.find((s) => s.description.name === 'gateway')!
    expect(gateway.serviceType).toBe('ingress')
    expect(gateway.description.bindings.map((b) => b.port)).toEqual([ingressPort])
    const [replica] = Object.values(gateway.replicas)
    expect(replica).toMatchObject({ state: 'ready' })
    expect(replica).not.toHaveProperty('pid')
    const logs = (await get(api, '/api/v1/logs/gateway')).body
    expect(logs).toMatch(/GET 127\.0\.0\.1:\d+\/items\?x=1 -> appa \(200, \d+ ms\)/)
    const scale = await new Promise<number>((done) => {
      request({ host: '127.0.0.1', port: api, path: '/api/v1/services/gateway/scale', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      }).end('{"replicas":2}')
    })
    expect(scale).toBe(409)

    const replicaPids = [...pids]
    stop()
    expect(await exit).toBe(0)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
    await expect(get(ingressPort, '/A')).rejects.toThrow()
  })

  it("sends an external service's requests to its own host", async () => {
    // 127.0.0.2 is loopback too on Linux, but not where the services' proxies listen
    const { createServer } = await import('node:http')
    const outside = createServer((req, res) => res.end(`outside got ${req.url}`))
    const outsidePort = await freePort()
    await new Promise<void>((done) => outside.listen(outsidePort, '127.0.0.2', done))
    try {
      const ingressPort = await freePort()
      const folder = mkdtempSync(join(tmpdir(), 'micronetes-ingress-'))
      folders.push(folder)
      writeFileSync(join(folder, 'tye.yaml'), `ingress:\n- name: edge\n  bindings: [{port: ${ingressPort}}]\n  rules: [{path: /ext, service: legacy}]\nservices:\n- name: legacy\n  external: true\n  bindings: [{host: 127.0.0.2, port: ${outsidePort}}]\n`)
      const { output, exit, stop } = startRun([folder, '--port', '0', '--no-dashboard'])
      await waitFor('the ingress', () => /Ingress edge listening/.test(output()), 20_000)
      expect(await get(ingressPort, '/ext/page')).toMatchObject({ status: 200, body: 'outside got /page' })
      stop()
      expect(await exit).toBe(0)
    } finally {
      outside.close()
    }
  })

  it('refuses a rule to an unknown service and an ingress port another binding has, at their lines', async () => {
    const { parseApplication } = await import('../../src-main/core/config/load-application')
    const result = parseApplication('ingress:\n- name: web\n  bindings: [{port: 7400}, {protocol: https}]\n  rules: [{service: wbe}]\nservices:\n- name: web\n  executable: node\n  bindings: [{port: 7400}]\n', 'tye.yaml')
    expect(result.ok || result.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '2:9: ingress "web": the name "web" is also a service\'s; an ingress is shown beside the services, so give it a name of its own',
      '3:21: ingress "web": port 7400 is also used by service "web"',
      '3:39: ingress "web": an https ingress is a Project Tye feature that Micronetes does not support yet; use http (see docs/coming-from-tye.md)',
      '4:21: ingress "web": rule 1 routes to "wbe", which is not a service of this application (did you mean "web"?)',
    ])
  })
})
