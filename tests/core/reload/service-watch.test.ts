// A service's watch and build with real files and processes: a change restarts only that
// service, node_modules is ignored, a failing rebuild keeps the old replicas serving, and a
// service that writes into what it watches gets its watch paused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../../free-port'
import { Session } from '../../../src-main/core/session'
import { program, sleep, waitFor } from '../orchestrator-helpers'
import { sessionRuns } from '../session-runs'

const { sessions, pids, folders } = sessionRuns()

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-watch-'))
  folders.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

async function open(dir: string): Promise<Session> {
  const session = new Session({ orchestrator: { reloadReadyTimeoutMs: 10_000 } })
  session.subscribe((e) => {
    if (e.type === 'replica' && e.replica.pid) pids.add(e.replica.pid)
  })
  sessions.push(session)
  expect((await session.open(join(dir, 'app.yaml'))).state).toBe('running')
  return session
}

function pidsOf(session: Session, name: string): number[] {
  return session.current()!.service(name).replicaStatuses.filter((r) => r.state === 'ready').map((r) => r.pid!).sort()
}

const echo = (name: string, more = '') => `  - name: ${name}\n    executable: ${process.execPath}\n    args: ${program('echo-server.mjs')}\n${more}`

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
      .on('error', reject)
      .end()
  })
}

describe('watch', () => {
  it('restarts only its own service on a change, and ignores node_modules', async () => {
    const dir = folder({
      'src/index.js': '1',
      'src/node_modules/dep/index.js': '1',
      'app.yaml': `services:\n${echo('web', '    replicas: 2\n    watch: { paths: src, debounce: 100ms }\n')}${echo('other')}`,
    })
    const session = await open(dir)
    await waitFor('ready', () => pidsOf(session, 'web').length === 2 && pidsOf(session, 'other').length === 1)
    const web = pidsOf(session, 'web')
    const other = pidsOf(session, 'other')
    // give the watcher its moment to be set up
    await sleep(300)

    writeFileSync(join(dir, 'src/node_modules/dep/index.js'), '2')
    await sleep(800)
    expect(pidsOf(session, 'web')).toEqual(web)

    writeFileSync(join(dir, 'src/index.js'), '2')
    await waitFor('web replaced', () => {
      const now = pidsOf(session, 'web')
      return now.length === 2 && now.every((p) => !web.includes(p))
    })
    expect(session.current()!.service('web').replicaStatuses).toHaveLength(2)
    expect(pidsOf(session, 'other')).toEqual(other)
  }, 30_000)

  it('rebuilds on a change; a failing build keeps the old replicas serving and says why', async () => {
    const port = await freePort()
    const dir = folder({
      'src/index.js': '1',
      'build.mjs': `import { existsSync } from 'node:fs'\nconsole.log('compiling')\nif (existsSync('fail')) { console.error('src/index.js:1: syntax error'); process.exit(2) }\n`,
      'app.yaml': `services:\n${echo('web', `    build: ${process.execPath} build.mjs\n    watch: { paths: "src/**/*.js", debounce: 100ms }\n    bindings:\n      - port: ${port}\n`)}`,
    })
    const session = await open(dir)
    const web = () => session.current()!.service('web')
    expect(web().lastBuild).toMatchObject({ state: 'succeeded' })
    expect(session.current()!.logs({ service: 'web' }).map((l) => l.text)).toEqual(expect.arrayContaining(['compiling']))
    await waitFor('ready', () => pidsOf(session, 'web').length === 1)
    const before = pidsOf(session, 'web')
    await sleep(300)

    writeFileSync(join(dir, 'fail'), '')
    writeFileSync(join(dir, 'src/index.js'), '2')
    await waitFor('build failed', () => web().lastBuild?.state === 'failed')
    expect(web().lastBuild!.message).toBe('build failed: exited with code 2\ncompiling\nsrc/index.js:1: syntax error')
    expect(web().message).toBe('build failed: exited with code 2')
    expect(pidsOf(session, 'web')).toEqual(before)
    expect(await get(port)).toBe(200)

    rmSync(join(dir, 'fail'))
    writeFileSync(join(dir, 'src/index.js'), '3')
    await waitFor('rebuilt and replaced', () => web().lastBuild?.state === 'succeeded' && pidsOf(session, 'web').length === 1 && pidsOf(session, 'web')[0] !== before[0])
    expect(await get(port)).toBe(200)
  }, 30_000)

  it('pauses a watch that the service keeps triggering itself', async () => {
    const dir = folder({
      'data/.keep': '',
      'writer.mjs': `import { writeFileSync } from 'node:fs'\nwriteFileSync('data/stamp.txt', String(Date.now()))\nsetInterval(() => {}, 1 << 30)\n`,
      'app.yaml': `services:\n  - name: writer\n    executable: ${process.execPath}\n    args: writer.mjs\n    watch: { paths: data, debounce: 50ms }\n`,
    })
    const session = await open(dir)
    const status = await waitFor('paused', () => session.current()!.service('writer').watchPaused, 20_000)
    expect(status).toMatch(/^paused: .*stamp\.txt changed again each time writer restarted/)
    // paused: it stays as it is
    const pid = await waitFor('settled', () => pidsOf(session, 'writer')[0])
    await sleep(800)
    expect(pidsOf(session, 'writer')).toEqual([pid])
  }, 30_000)
})
