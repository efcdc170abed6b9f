// The examples as a user runs them: the real `micronetes run`, real processes, real Redis.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { MicronetesRun, repositoryRoot } from './support/micronetes-run.js'
import { freePort } from './support/ports.js'

describe('examples', () => {
  const runs: MicronetesRun[] = []
  const folders: string[] = []

  afterEach(async () => {
    await Promise.all(runs.splice(0).map((run) => run.stop()))
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
  })

  it('examples/pubsub: both subscribers get the ticks, and again after redis restarts', async () => {
    const run = new MicronetesRun(join(repositoryRoot, 'examples', 'pubsub', 'app.yaml'))
    runs.push(run)
    const api = await run.apiUrl()
    for (const replica of ['1', '2']) await run.waitForLine(new RegExp(`subscriber_\\w+-${replica}: tick \\d+ from publisher_\\w+-1`))

    const restart = await fetch(`${api}/api/v1/services/redis/restart`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(restart.status).toBeLessThan(300)
    // every subscriber reports the loss, comes back and gets ticks published after that
    for (const replica of ['1', '2']) {
      const lost = await run.waitForLine(new RegExp(`\\[subscriber_\\w+-${replica}\\]: .*redis 'redis' .*subscriber\\): connection lost; reconnecting`))
      const back = await run.waitForLine(new RegExp(`\\[subscriber_\\w+-${replica}\\]: .*subscriber\\): reconnected`), 30_000, lost.end)
      await run.waitForLine(new RegExp(`subscriber_\\w+-${replica}: tick \\d+`), 30_000, back.end)
    }
  }, 90_000)

  it('the example worker finds web through the SDK', async () => {
    // examples/app.yaml pins web to port 5005; the same services on a free port keep tests apart
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-sdk-worker-'))
    folders.push(folder)
    const port = await freePort()
    const appYaml = join(folder, 'app.yaml')
    writeFileSync(appYaml, [
      'name: worker-check',
      'services:',
      '  - name: web',
      '    executable: node',
      '    args: server.js',
      `    workingDirectory: ${join(repositoryRoot, 'examples', 'web')}`,
      '    bindings:',
      `      - port: ${port}`,
      '  - name: worker',
      '    executable: node',
      '    args: worker.js',
      `    workingDirectory: ${join(repositoryRoot, 'examples', 'worker')}`,
      '',
    ].join('\n'))
    const run = new MicronetesRun(appYaml)
    runs.push(run)
    const [line] = await run.waitForLine(new RegExp(`worker_\\w+-1: http://localhost:${port}/ answered 200 from web_\\w+-1`))
    expect(line).toContain(`:${port}/`)
  }, 60_000)
})
