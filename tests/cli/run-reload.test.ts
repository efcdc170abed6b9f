// `micronetes run` watching its app.yaml: a saved edit is applied as a difference and said in
// one line; a broken edit is reported with its place and changes nothing; --no-reload ignores
// edits.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { program, sleep, waitFor } from '../core/orchestrator-helpers'
import { cli, cliRuns } from './cli-runs'

const { children, pids, appFile } = cliRuns()

function runCli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, 'run', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let text = ''
  const collect = (c: Buffer) => {
    text += c.toString()
    for (const m of text.matchAll(/on process id (\d+)/g)) pids.add(Number(m[1]))
  }
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  return { child, output: () => text, exit: new Promise((resolve) => child.on('close', resolve)) }
}

const yaml = (replicas: number, extra = '') => `services:
  - name: web
    executable: ${process.execPath}
    args: ${program('echo-server.mjs')}
    replicas: ${replicas}
    envFile: web.env${extra}
`

describe('micronetes run, reloading on save', () => {
  it('applies a saved edit, reports a broken one with its line:col and keeps running, and follows env files', async () => {
    const file = appFile(yaml(1))
    writeFileSync(join(dirname(file), 'web.env'), 'MODE=one\n')
    const run = runCli([file])
    await waitFor('web running', () => /web_\w+-1 running on process id/.test(run.output()), 20_000)
    await waitFor('watching', () => /INF\] Watching .*app\.yaml and the files it reads/.test(run.output()))

    writeFileSync(file, yaml(2))
    await waitFor('scaled', () => /INF\] app\.yaml changed: web scaled 1 -> 2/.test(run.output()), 15_000)

    writeFileSync(file, yaml(2, '\n    replicas: 3'))
    await waitFor('problems', () => /ERR\] app\.yaml has 1 problem; the application keeps running as it was/.test(run.output()), 15_000)
    expect(run.output()).toMatch(/ERR\] .*app\.yaml:7:5: duplicate key/)

    writeFileSync(join(dirname(file), 'web.env'), 'MODE=two\n')
    // the file is still broken: nothing applies until it is fixed
    writeFileSync(file, yaml(2))
    await waitFor('env file change applied', () => /INF\] app\.yaml changed: web replaced \(env\)/.test(run.output()), 15_000)
    expect(run.child.exitCode).toBeNull()
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  }, 60_000)

  it('leaves edits alone with --no-reload', async () => {
    const port = await freePort()
    const file = appFile(`services:\n  - name: web\n    executable: ${process.execPath}\n    args: ${program('echo-server.mjs')}\n    bindings:\n      - port: ${port}\n`)
    const run = runCli(['--no-reload', file])
    await waitFor('web running', () => /web_\w+-1 running on process id/.test(run.output()), 20_000)
    writeFileSync(file, `services:\n  - name: web\n    executable: ${process.execPath}\n    args: ${program('echo-server.mjs')}\n    replicas: 2\n`)
    await sleep(1500)
    expect(run.output()).not.toMatch(/app\.yaml changed|web_\w+-2/)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  }, 30_000)
})
