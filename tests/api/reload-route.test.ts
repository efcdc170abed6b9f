// POST /api/v1/application/reload over real HTTP, with a real app.yaml edited between calls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'
import { program } from '../core/orchestrator-helpers'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const yaml = (replicas: string) => `services:\n  - name: web\n    executable: ${process.execPath}\n    args: ${program('echo-server.mjs')}\n    replicas: ${replicas}\n`

describe('POST /api/v1/application/reload', () => {
  it('answers 422 with the problems of a broken file and keeps the app, then 200 with what changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-api-reload-'))
    const file = join(dir, 'app.yaml')
    writeFileSync(file, yaml('1'))
    const session = new Session()
    const started: { api?: ApiServer } = {}
    cleanup.push(async () => {
      await started.api?.close()
      await session.close()
      rmSync(dir, { recursive: true, force: true })
    })
    await session.open(file)
    const api = await startApiServer({ port: 0, session })
    started.api = api
    const reload = () => fetch(`${api.url}/api/v1/application/reload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })

    writeFileSync(file, yaml('${REPLICAS_NOT_SET}'))
    const broken = await reload()
    expect(broken.status).toBe(422)
    expect(await broken.json()).toMatchObject({
      result: 'invalid',
      summary: 'app.yaml has 1 problem; the application keeps running as it was',
      problems: [{ file, line: 5, col: 15, message: expect.stringContaining('variable REPLICAS_NOT_SET is not set') }],
    })
    expect(session.current()!.service('web').replicaStatuses).toHaveLength(1)

    writeFileSync(file, yaml('2'))
    const fixed = await reload()
    expect(fixed.status).toBe(200)
    expect(await fixed.json()).toMatchObject({ result: 'applied', summary: 'app.yaml changed: web scaled 1 -> 2', problems: [] })
    const info = (await (await fetch(`${api.url}/api/v1/commands/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { result: { lastReload: unknown } }
    expect(info.result.lastReload).toMatchObject({ result: 'applied' })
  }, 30_000)
})
