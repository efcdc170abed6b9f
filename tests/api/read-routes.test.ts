// The read routes against a running application: Tye's shapes, logs, metrics.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TyeService } from '../../src-main/api/tye-shapes'
import { startApiFixture, type ApiFixture } from './api-fixture'
import { openStream, request, waitFor } from './http-client'

let fx: ApiFixture
beforeAll(async () => {
  fx = await startApiFixture()
  // both replicas ready, so pids, ports and logs are there to read
  await waitFor(async () => {
    const web = (await request(`${fx.base}/services/web`)).json<TyeService>()
    const replicas = Object.values(web.replicas)
    return replicas.length === 2 && replicas.every((r) => r.state === 'ready') ? web : undefined
  }, 'two ready web replicas')
})
afterAll(async () => {
  await fx?.close()
})

/** the values at a dotted path where '*' fans out over arrays and maps */
function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root]
  for (const key of path.split('.')) {
    current = current.flatMap((v) => {
      if (v === null || typeof v !== 'object') return [undefined]
      if (key === '*') return Object.values(v as object)
      return [(v as Record<string, unknown>)[key]]
    })
  }
  return current
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

describe('read routes', () => {
  it('GET /api/v1 lists the routes as URLs', async () => {
    const answer = await request(fx.base)
    expect(answer.status).toBe(200)
    const routes = answer.json<string[]>()
    expect(routes).toContain(`${fx.api.url}/api/v1/services`)
    expect(routes).toContain(`${fx.api.url}/api/v1/services/{name}/scale`)
    expect(routes).toContain(`${fx.api.url}/api/v1/logs/{name}`)
    // every entry is a URL, as Tye's clients expect
    for (const r of routes) expect(() => new URL(r), r).not.toThrow()
  })

  it('GET /api/v1/application answers id, name and source', async () => {
    const app = (await request(`${fx.base}/application`)).json<Record<string, string>>()
    expect(app.name).toBe('api-fixture')
    expect(app.source).toMatch(/fixtures\/api\/app\.yaml$/)
    expect(typeof app.id).toBe('string')
  })

  it("has every field Tye's clients read, with its type (tests/fixtures/api/tye-fields.json)", async () => {
    const fields = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/api/tye-fields.json', import.meta.url)), 'utf8')) as {
      application: Record<string, string>
      service: Record<string, string>
      values: Record<string, string[]>
    }
    const app = (await request(`${fx.base}/application`)).json()
    for (const [path, type] of Object.entries(fields.application)) {
      expect(valuesAt(app, path).map(typeOf), `application ${path}`).toEqual([type])
    }
    const services = (await request(`${fx.base}/services`)).json<TyeService[]>()
    const web = services.find((s) => s.description.name === 'web')
    expect(web, 'web in /services').toBeDefined()
    for (const [path, type] of Object.entries(fields.service)) {
      const values = valuesAt(web, path)
      expect(values.length, `web ${path} present`).toBeGreaterThan(0)
      for (const value of values) expect(type.split('|'), `web ${path} = ${JSON.stringify(value)}`).toContain(typeOf(value))
    }
    for (const service of services) {
      for (const [path, known] of Object.entries(fields.values)) {
        for (const value of valuesAt(service, path)) expect(known, `${service.description.name} ${path}`).toContain(value)
      }
    }
  })

  it('shows the running replicas as they are', async () => {
    const web = (await request(`${fx.base}/services/web`)).json<TyeService>()
    expect(web.description.runInfo.type).toBe('executable')
    expect(web.serviceType).toBe('executable')
    expect(web.description.bindings[0]?.protocol).toBe('http')
    expect(web.description.configuration).toContainEqual({ name: 'GREETING', value: 'hello' })
    const replicas = Object.values(web.replicas)
    expect(new Set(replicas.map((r) => r.name)).size).toBe(2)
    for (const r of replicas) {
      expect(r.name).toMatch(/^web_[0-9a-f]{8}-\d+$/)
      expect(r.pid).toBeGreaterThan(0)
      // the process is alive under that pid
      expect(() => process.kill(r.pid as number, 0)).not.toThrow()
      expect(r.environment.APP_INSTANCE).toBe(r.name)
      expect(r.environment.PORT).toBe(String(r.ports[0]))
      const answer = await request(`http://127.0.0.1:${r.ports[0]}/`)
      expect(answer.text).toBe(r.name)
    }
    const db = (await request(`${fx.base}/services/db`)).json<TyeService>()
    expect(db.serviceType).toBe('external')
    expect(db.description.bindings[0]).toMatchObject({ port: 5432, protocol: 'tcp' })
  })

  it('answers the /api/v1/{name} alias like /services/{name}', async () => {
    const alias = (await request(`${fx.base}/web`)).json<TyeService>()
    expect(alias.description.name).toBe('web')
    expect(Object.keys(alias.replicas).sort()).toEqual(Object.keys((await request(`${fx.base}/services/web`)).json<TyeService>().replicas).sort())
  })

  it('answers 404 { message } for an unknown service or route, 405 for a wrong method', async () => {
    for (const url of [`${fx.base}/services/nope`, `${fx.base}/nope`, `${fx.base}/logs/nope`, `${fx.base}/metrics/nope`]) {
      const answer = await request(url)
      expect(answer.status, url).toBe(404)
      expect(answer.json<{ message: string }>().message, url).toMatch(/nope/)
    }
    expect((await request(`${fx.base}/services/web/frobnicate`)).status).toBe(404)
    const wrong = await request(`${fx.base}/services`, { method: 'DELETE' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.allow).toBe('GET')
  })
})

describe('logs', () => {
  it('answers Tye-style "[replica]: line" strings, per replica, tailed, with or without colour', async () => {
    const web = (await request(`${fx.base}/services/web`)).json<TyeService>()
    const [first] = Object.keys(web.replicas)
    const all = await waitFor(async () => {
      const lines = (await request(`${fx.base}/logs/web`)).json<string[]>()
      return lines.filter((l) => l.includes('listening')).length >= 2 ? lines : undefined
    }, 'both replicas logging')
    expect(all.every((l) => /^\[web_[0-9a-f]{8}-\d+\]: /.test(l))).toBe(true)
    expect(all.some((l) => l.includes('\u001b[32mlistening\u001b[0m'))).toBe(true)

    const plain = (await request(`${fx.base}/logs/web?plain=true&replica=${first}`)).json<string[]>()
    expect(plain.length).toBeGreaterThan(0)
    expect(plain.every((l) => l.startsWith(`[${first}]: `))).toBe(true)
    expect(plain.some((l) => l.includes(`listening on`))).toBe(true)
    expect(plain.join('')).not.toContain('\u001b')

    expect((await request(`${fx.base}/logs/web?tail=1`)).json<string[]>()).toHaveLength(1)
    const text = await request(`${fx.base}/logs/web?tail=2`, { headers: { Accept: 'text/plain' } })
    expect(text.headers['content-type']).toMatch(/^text\/plain/)
    expect(text.text.split('\n').filter((l) => l !== '')).toHaveLength(2)
  })

  it('refuses bad values with 400 naming the parameter', async () => {
    for (const q of ['tail=-1', 'tail=abc', 'tail=100000000', 'follow=maybe']) {
      const answer = await request(`${fx.base}/logs/web?${q}`)
      expect(answer.status, q).toBe(400)
      expect(answer.json<{ message: string }>().message, q).toContain(q.split('=')[0] as string)
    }
    expect((await request(`${fx.base}/logs/web?replica=web_00000000-9`)).status).toBe(404)
  })

  it('?follow=true streams new lines until the client leaves', async () => {
    const web = (await request(`${fx.base}/services/web`)).json<TyeService>()
    const port = web.description.bindings[0]?.port as number
    const stream = await openStream(`${fx.base}/logs/web?follow=true&tail=0&plain=true`)
    try {
      expect(stream.status).toBe(200)
      expect(stream.headers['content-type']).toMatch(/^text\/plain/)
      // a request through the proxy makes one replica log a line
      await request(`http://127.0.0.1:${port}/followed`)
      const text = await stream.until((t) => t.includes('request GET /followed'))
      expect(text).toMatch(/^\[web_[0-9a-f]{8}-\d+\]: request GET \/followed$/m)
    } finally {
      stream.close()
    }
  })
})

describe('metrics', () => {
  it('answers Prometheus text per replica, or JSON on request', async () => {
    const text = await request(`${fx.base}/metrics`)
    expect(text.status).toBe(200)
    expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const web = (await request(`${fx.base}/services/web`)).json<TyeService>()
    for (const name of Object.keys(web.replicas)) {
      expect(text.text).toMatch(new RegExp(`^micronetes_replica_memory_bytes\\{service="web",replica="${name}",instance="${name}"\\} [1-9]\\d*$`, 'm'))
    }
    const json = await request(`${fx.base}/metrics/web`, { headers: { Accept: 'application/json' } })
    const figures = json.json<{ service: string; replica: string; memoryBytes: number; proxyConnections: number }[]>()
    expect(figures.map((f) => f.replica).sort()).toEqual(Object.keys(web.replicas).sort())
    expect(figures.every((f) => f.service === 'web' && f.memoryBytes > 0)).toBe(true)
  })
})
