// Tye's clients stop the host with DELETE /api/v1/control.
import { afterEach, describe, expect, it } from 'vitest'
import { startApiFixture, type ApiFixture } from './api-fixture'
import { request, waitFor } from './http-client'

let fx: ApiFixture | undefined

afterEach(async () => {
  await fx?.close()
  fx = undefined
})

describe('DELETE /api/v1/control', () => {
  it('asks the host to shut down after answering 200, as Tye does', async () => {
    let calls = 0
    fx = await startApiFixture({ onShutdown: () => calls++ })
    const foreign = await request(`${fx.base}/control`, { method: 'DELETE', headers: { Origin: 'http://evil.example' } })
    expect(foreign.status).toBe(403)
    const withBody = await request(`${fx.base}/control`, { method: 'DELETE', headers: { 'Content-Type': 'text/plain', 'Content-Length': '1' }, body: 'x' })
    expect(withBody.status).toBe(415)
    expect(calls).toBe(0)
    const answer = await request(`${fx.base}/control`, { method: 'DELETE' })
    expect(answer.status).toBe(200)
    expect(answer.json<{ message: string }>().message).toMatch(/shutting down/)
    await waitFor(() => (calls === 1 ? true : undefined), 'the shutdown call')
  })

  it('answers 409 where the host is not stopped over the API', async () => {
    fx = await startApiFixture()
    const answer = await request(`${fx.base}/control`, { method: 'DELETE' })
    expect(answer.status).toBe(409)
    expect(answer.json<{ message: string }>().message).toMatch(/not stopped over the API/)
  })
})
