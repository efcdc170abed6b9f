// The sampling pace follows who is looking: an event stream that takes resource readings gets
// one each second; with nobody looking the sampler reads every few seconds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'

let dir: string
let session: Session
let api: ApiServer
let readings = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'micronetes-pace-'))
  writeFileSync(join(dir, 'app.yaml'), `services:\n  - { name: idle, executable: ${JSON.stringify(process.execPath)}, args: ["-e", "setInterval(() => {}, 1000)"] }\n`)
  session = new Session()
  session.subscribe((event) => {
    if (event.type === 'resources') readings++
  })
  await session.open(join(dir, 'app.yaml'))
  api = await startApiServer({ port: 0, session, dashboardDir: null })
})

afterAll(async () => {
  await api?.close()
  await session?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function count(ms: number): Promise<number> {
  const before = readings
  await new Promise((r) => setTimeout(r, ms))
  return readings - before
}

it('reads every few seconds while nobody looks, each second while an event stream does', async () => {
  // nobody: the idle pace (5 s)
  expect(await count(3000)).toBeLessThanOrEqual(1)

  // an event stream of log lines only is not looking at resources
  const logsOnly = new AbortController()
  await fetch(`${api.url}/api/v1/events?types=log`, { signal: logsOnly.signal })
  expect(await count(3000)).toBeLessThanOrEqual(1)
  logsOnly.abort()

  const looking = new AbortController()
  const response = await fetch(`${api.url}/api/v1/events?types=resources`, { signal: looking.signal })
  const reader = response.body!.getReader()
  let text = ''
  const deadline = Date.now() + 4000
  while ((text.match(/"type":"resources"/g) ?? []).length < 3 && Date.now() < deadline) {
    const { value } = await reader.read()
    text += new TextDecoder().decode(value)
  }
  // three readings within four seconds: the fast pace
  expect((text.match(/"type":"resources"/g) ?? []).length).toBeGreaterThanOrEqual(3)
  expect(text).toMatch(/"replica":"idle_[0-9a-f]{8}-1","cpuPercent":/)
  looking.abort()
}, 20_000)
