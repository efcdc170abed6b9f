// An event-stream client that stops reading while the application floods its logs: the
// stream skips ahead and says so, and the application never waits for it.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import type { TyeService } from '../../src-main/api/tye-shapes'
import { startApiFixture, type ApiFixture } from './api-fixture'
import { openStream, parseEvents, request, waitFor } from './http-client'

let fx: ApiFixture
let small: ApiServer
beforeAll(async () => {
  fx = await startApiFixture()
  small = await startApiServer({ session: fx.session, port: 0, events: { highWaterBytes: 16 * 1024 } })
})
afterAll(async () => {
  await small?.close()
  await fx?.close()
})

describe('a slow event-stream client', () => {
  it('is skipped ahead with a note while the application and the API keep going', async () => {
    const web = await waitFor(async () => {
      const s = (await request(`${fx.base}/services/web`)).json<TyeService>()
      return Object.values(s.replicas).filter((r) => r.state === 'ready').length === 2 ? s : undefined
    }, 'two ready replicas')
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      httpRequest(`${small.url}/api/v1/events?types=log&service=web`, resolve).on('error', reject).end(),
    )
    try {
      response.pause()
      // far more than the socket buffers hold, through the proxy to one replica
      const flooded = await request(`http://127.0.0.1:${web.description.bindings[0]?.port}/flood?lines=60000`)
      expect(flooded.status).toBe(200)
      // the application went on: its logs hold the end of the burst
      await waitFor(async () => (await request(`${fx.base}/logs/web?tail=5`)).json<string[]>().some((l) => l.endsWith('flood done')) || undefined, 'the burst logged')

      let text = ''
      response.setEncoding('utf8')
      response.on('data', (c: string) => (text += c))
      response.resume()
      await waitFor(() => text.includes('"type":"skipped"') || undefined, 'a skipped note')
      const skipped = parseEvents(text).find((e) => e.data.type === 'skipped')
      expect(skipped?.id).toBeUndefined()
      expect(skipped?.data.count).toBeGreaterThan(0)
      expect(String(skipped?.data.message)).toMatch(/Last-Event-ID/)
      const { firstId, lastId, count } = skipped?.data as { firstId: number; lastId: number; count: number }
      expect(lastId - firstId + 1).toBeGreaterThanOrEqual(count)
      // what came before the note ends before the skipped range
      const before = parseEvents(text.slice(0, text.indexOf('"type":"skipped"')))
      expect(Math.max(...before.map((e) => e.id ?? 0))).toBeLessThan(firstId)
    } finally {
      response.destroy()
    }
  })

  it('tells a client resuming from an event that fell out of the buffer what it missed', async () => {
    // the burst above pushed event 1 out of the session's buffer long ago
    const stream = await openStream(`${fx.base}/events?types=session`, { 'Last-Event-ID': '1' })
    try {
      const text = await stream.until((t) => t.includes('"type":"skipped"'))
      const [note] = parseEvents(text)
      expect(note?.data).toMatchObject({ type: 'skipped', firstId: 2 })
      expect(note?.data.count).toBeGreaterThan(1000)
      expect(String(note?.data.message)).toMatch(/no longer buffered/)
    } finally {
      stream.close()
    }
  })
})
