// The services of examples/app.yaml, run the way Micronetes runs them: PORT, APP_INSTANCE and
// the SERVICE__WEB__* variables in the environment, stopped with SIGTERM.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const started: ChildProcess[] = []

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface Running {
  child: ChildProcess
  lines: string[]
  /** resolves with the first line matching */
  line(pattern: RegExp): Promise<string>
  exit(): Promise<number | null>
}

function run(folder: string, script: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [script], { cwd: resolve('examples', folder), env: { PATH: process.env.PATH ?? '', ...env } })
  started.push(child)
  const lines: string[] = []
  const waiters: { pattern: RegExp; done: (line: string) => void }[] = []
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line)
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.done(line)
      }
    }
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  return {
    child,
    lines,
    line: (pattern) => {
      const seen = lines.find((l) => pattern.test(l))
      return seen !== undefined ? Promise.resolve(seen) : new Promise((done) => waiters.push({ pattern, done }))
    },
    exit: () => exited,
  }
}

/** a port nobody listens on: taken from the system, then let go */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise((done) => server.close(done))
  return port
}

describe('examples/app.yaml services', () => {
  it('web answers JSON with its APP_INSTANCE, logs each request, and exits 0 on SIGTERM', async () => {
    const web = run('web', 'server.js', { PORT: '0', APP_INSTANCE: 'web_test-1' })
    const port = Number(/port (\d+)/.exec(await web.line(/listening on port \d+/))![1])
    const res = await fetch(`http://127.0.0.1:${port}/`)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toMatchObject({ service: 'web', instance: 'web_test-1', requests: 1 })
    await web.line(/GET \/ -> web_test-1 \(request 1\)/)
    // the readiness probe's path: answered, neither logged nor counted as a request
    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect([health.status, await health.text()]).toEqual([200, 'ok\n'])
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).json()).toMatchObject({ requests: 2 })
    expect(web.lines.some((l) => l.includes('/healthz'))).toBe(false)
    web.child.kill('SIGTERM')
    expect(await web.exit()).toBe(0)
  })

  it('worker calls web through SERVICE__WEB__HOST/PORT every second and logs the answer', async () => {
    const web = run('web', 'server.js', { PORT: '0', APP_INSTANCE: 'web_test-1' })
    const port = /port (\d+)/.exec(await web.line(/listening on port \d+/))![1]!
    const worker = run('worker', 'worker.js', { APP_INSTANCE: 'worker_test-1', SERVICE__WEB__HOST: '127.0.0.1', SERVICE__WEB__PORT: port })
    await worker.line(/answered 200 from web_test-1/)
    await web.line(/request 2\)/)
    worker.child.kill('SIGTERM')
    expect(await worker.exit()).toBe(0)
  })

  it('worker logs an error line and keeps going while web is not reachable', async () => {
    const port = String(await closedPort())
    const worker = run('worker', 'worker.js', { APP_INSTANCE: 'worker_test-1', SERVICE__WEB__HOST: '127.0.0.1', SERVICE__WEB__PORT: port })
    await worker.line(/cannot reach web/)
    // a second attempt a second later: the first failure did not stop it
    await new Promise<void>((done) => {
      const check = setInterval(() => {
        if (worker.lines.filter((l) => /cannot reach web/.test(l)).length >= 2) {
          clearInterval(check)
          done()
        }
      }, 50)
    })
    expect(worker.child.exitCode).toBeNull()
    worker.child.kill('SIGTERM')
    expect(await worker.exit()).toBe(0)
  })
})
