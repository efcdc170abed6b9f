// Each refusal of the API's safety rules, against a real server running a real application.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiFixture, type ApiFixture } from './api-fixture'
import { openStream, postJson, request } from './http-client'

let fx: ApiFixture
let tokened: ApiFixture
const TOKEN = 'correct horse battery staple'

beforeAll(async () => {
  fx = await startApiFixture()
  tokened = await startApiFixture({ token: TOKEN })
})
afterAll(async () => {
  await fx?.close()
  await tokened?.close()
})

describe('Host (DNS rebinding)', () => {
  it('refuses a Host that is not a loopback name with 403', async () => {
    for (const host of ['evil.example', 'evil.example:8000', 'localhost.evil.example', '192.168.1.10']) {
      const answer = await request(`${fx.base}/services`, { headers: { Host: host } })
      expect(answer.status, host).toBe(403)
      expect(answer.json<{ message: string }>().message, host).toMatch(/not a loopback name/)
    }
  })

  it('reads the Host strictly: a loopback name followed by anything but a port is refused with 403', async () => {
    for (const host of ['127.0.0.1:evil.com', '[::1]evil', '127.0.0.1:1@evil.com', 'localhost:99999']) {
      const answer = await request(`${fx.base}/services`, { headers: { Host: host } })
      expect(answer.status, host).toBe(403)
      expect(answer.json<{ message: string; code: string }>(), host).toEqual({ message: `refused: Host '${host}' is not a host name with an optional port`, code: 'forbidden' })
    }
  })

  it('accepts loopback names', async () => {
    for (const host of [`127.0.0.1:${fx.api.port}`, `localhost:${fx.api.port}`, `[::1]:${fx.api.port}`]) {
      expect((await request(`${fx.base}/services`, { headers: { Host: host } })).status, host).toBe(200)
    }
  })
})

describe('Origin and content type (CSRF)', () => {
  it('refuses a foreign Origin with 403, on changes and on reads', async () => {
    for (const origin of ['https://evil.example', 'null', `http://localhost:${fx.api.port + 1}`, `http://127.0.0.1.nip.io:${fx.api.port}`]) {
      const post = await postJson(`${fx.base}/services/web/restart`, {}, { Origin: origin })
      expect(post.status, origin).toBe(403)
      expect(post.json<{ message: string }>().message).toMatch(/foreign Origin/)
      expect((await request(`${fx.base}/services`, { headers: { Origin: origin } })).status, origin).toBe(403)
    }
  })

  it("accepts the API's own origin", async () => {
    const answer = await postJson(`${fx.base}/commands/session`, {}, { Origin: `http://localhost:${fx.api.port}` })
    expect(answer.status).toBe(200)
  })

  it('refuses a state change without a JSON content type with 415', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const headers: Record<string, string> = type ? { 'Content-Type': type } : {}
      const answer = await request(`${fx.base}/services/web/scale`, { method: 'POST', headers, body: '{"replicas":3}' })
      expect(answer.status, String(type)).toBe(415)
    }
    // nothing changed
    const web = (await request(`${fx.base}/services/web`)).json<{ description: { replicas: number } }>()
    expect(web.description.replicas).toBe(2)
  })

  it('never answers Access-Control-Allow-Origin, not even to a preflight', async () => {
    const answers = [
      await request(`${fx.base}/services`),
      await request(`${fx.base}/services`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } }),
      await request(`${fx.base}/services`, { method: 'OPTIONS' }),
      await postJson(`${fx.base}/commands/session`, {}),
    ]
    for (const a of answers) expect(a.headers['access-control-allow-origin']).toBeUndefined()
    expect(answers[1]?.status).toBe(403)
    expect(answers[2]?.status).toBe(405)
  })
})

describe('token', () => {
  it('refuses requests without the token, or with a wrong one, with 401', async () => {
    const none = await request(`${tokened.base}/services`)
    expect(none.status).toBe(401)
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/)
    expect((await request(`${tokened.base}/services`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401)
    expect((await request(`${tokened.base}/services?token=wrong`)).status).toBe(401)
    expect((await postJson(`${tokened.base}/services/web/stop`)).status).toBe(401)
    // doubled slashes reach the same routes, so they need the token too
    expect((await request(tokened.api.url, { rawPath: '//api/v1/services' })).status).toBe(401)
  })

  it('accepts it as a Bearer header or, for EventSource, in the query', async () => {
    expect((await request(`${tokened.base}/services`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect((await request(`${tokened.base}/services?token=${encodeURIComponent(TOKEN)}`)).status).toBe(200)
    const events = await openStream(`${tokened.base}/events?token=${encodeURIComponent(TOKEN)}`)
    try {
      expect(events.status).toBe(200)
    } finally {
      events.close()
    }
  })
})

describe('bodies and values', () => {
  it('refuses a body over 64 KiB with 413', async () => {
    const big = JSON.stringify({ replicas: 1, pad: 'x'.repeat(70 * 1024) })
    const answer = await request(`${fx.base}/services/web/scale`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big })
    expect(answer.status).toBe(413)
    expect(answer.json<{ message: string }>().message).toMatch(/too large/)
  })

  it('refuses bad replica counts and malformed bodies with 400', async () => {
    for (const body of [{ replicas: -1 }, { replicas: 1.5 }, { replicas: '3' }, { replicas: 101 }, { replicas: 1e9 }, {}, { replicas: 2, extra: true }, [1]]) {
      const answer = await postJson(`${fx.base}/services/web/scale`, body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(typeof answer.json<{ message: string }>().message).toBe('string')
    }
    const broken = await request(`${fx.base}/services/web/scale`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"replicas": ' })
    expect(broken.status).toBe(400)
    expect(broken.json<{ message: string }>().message).toMatch(/not valid JSON/)
  })

  it('answers 404 for an unknown service, replica or command, and 409 for scaling an external service', async () => {
    expect((await postJson(`${fx.base}/services/nope/scale`, { replicas: 1 })).status).toBe(404)
    expect((await postJson(`${fx.base}/services/nope/restart`)).status).toBe(404)
    expect((await postJson(`${fx.base}/replicas/web_00000000-7/restart`)).status).toBe(404)
    const command = await postJson(`${fx.base}/commands/rm-rf`, {})
    expect(command.status).toBe(404)
    const external = await postJson(`${fx.base}/services/db/scale`, { replicas: 2 })
    expect(external.status).toBe(409)
    expect(external.json<{ message: string }>().message).toMatch(/db/)
  })

  it('refuses a bad Last-Event-ID or event type with 400', async () => {
    expect((await request(`${fx.base}/events`, { headers: { 'Last-Event-ID': 'abc' } })).status).toBe(400)
    expect((await request(`${fx.base}/events?types=nonsense`)).status).toBe(400)
  })
})

describe('error answers', () => {
  const json = { 'Content-Type': 'application/json' }
  it('carry { message, code } whatever refused the request: 400, 401, 403, 404, 405, 413, 415', async () => {
    const answers: [string, Promise<Awaited<ReturnType<typeof request>>>, number, string][] = [
      ['bad JSON', request(`${fx.base}/services/web/scale`, { method: 'POST', headers: json, body: '{"replicas": ' }), 400, 'invalid'],
      ['bad query', request(`${fx.base}/logs/web?tail=x`), 400, 'invalid'],
      ['no token', request(`${tokened.base}/services`), 401, 'unauthorized'],
      ['foreign Host', request(`${fx.base}/services`, { headers: { Host: 'evil.example' } }), 403, 'forbidden'],
      ['foreign Origin', postJson(`${fx.base}/services/web/restart`, {}, { Origin: 'https://evil.example' }), 403, 'forbidden'],
      ['no route', request(`${fx.base}/nothing-here`), 404, 'not-found'],
      ['wrong method', request(`${fx.base}/services`, { method: 'PUT', headers: json, body: '{}' }), 405, 'method-not-allowed'],
      ['large body', request(`${fx.base}/services/web/scale`, { method: 'POST', headers: json, body: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }) }), 413, 'too-large'],
      ['text body', request(`${fx.base}/services/web/scale`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"replicas": 1}' }), 415, 'unsupported-media-type'],
    ]
    for (const [what, pending, status, code] of answers) {
      const answer = await pending
      expect(answer.status, what).toBe(status)
      expect(answer.headers['content-type'], what).toMatch(/^application\/json/)
      const body = answer.json<Record<string, unknown>>()
      expect(Object.keys(body).sort(), what).toEqual(['code', 'message'])
      expect(body.code, what).toBe(code)
      expect(typeof body.message, what).toBe('string')
    }
  })
})
