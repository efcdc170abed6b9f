// `micronetes validate` as a user runs it: the real command, in a real process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-runs'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micronetes-validate-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('micronetes validate', () => {
  it('exits 0 with a one-line summary for examples/app.yaml', async () => {
    expect(await runCli(['validate', 'examples/app.yaml'])).toEqual({
      code: 0,
      stdout: 'examples/app.yaml: 2 services, 5 replicas, port 5005\n',
      stderr: '',
    })
  })

  it('exits 1 with every problem as file:line:col: message on stderr', async () => {
    const file = 'tests/fixtures/config/broken/app.yaml'
    expect(await runCli(['validate', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `${file}:3:3: service "web": unknown field "replicaz" (did you mean "replicas"?)`,
        `${file}:9:13: service "api": binding port 5005 is also used by service "web"`,
        `${file}:10:3: service "api": nothing to run: give one of "project", "executable" or "dockerImage" (or "external: true")`,
        `${file}:10:9: service "api" is defined twice (first at line 6)`,
        `${file}:11:13: service "api": "replicas" must be a whole number from 0 to 100, not -1`,
        '',
      ].join('\n'),
    })
  })

  it('reads ./app.yaml when no file is given', async () => {
    await writeFile(join(dir, 'app.yaml'), '- name: web\n  executable: node\n  bindings:\n    - port: 8080\n    - name: admin\n')
    expect(await runCli(['validate'], { cwd: dir })).toEqual({
      code: 0,
      stdout: 'app.yaml: 1 service, 1 replica, port 8080, 1 port assigned at start\n',
      stderr: '',
    })
  })

  it('refuses a dependsOn cycle and an unknown name with their line:col, and accepts Tye\'s probe spelling', async () => {
    await writeFile(
      join(dir, 'cycle.yaml'),
      [
        '- name: web',
        '  executable: node',
        '  bindings: [{ port: 8080 }]',
        '  dependsOn: [api]',
        '  liveness:',
        '    http: { path: /healthz, port: 8080, protocol: http, headers: [{ name: X-Probe, value: "1" }] }',
        '    initialDelay: 1',
        '- name: api',
        '  executable: node',
        '  dependsOn:',
        '    web: { condition: ready }',
        '    postgres: { condition: started }',
        '',
      ].join('\n'),
    )
    expect(await runCli(['validate', 'cycle.yaml'], { cwd: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'cycle.yaml:4:15: service "web": dependsOn makes a cycle, so none of them could start: web -> api -> web',
        'cycle.yaml:12:5: service "api": dependsOn names "postgres", which is not a service of this file',
        '',
      ].join('\n'),
    })
  })

  it('says so when the file does not exist', async () => {
    expect(await runCli(['validate', 'missing.yaml'], { cwd: dir })).toEqual({ code: 1, stdout: '', stderr: 'missing.yaml:1:1: no such file\n' })
  })

  it('prints one JSON object for tools with --json', async () => {
    const good = await runCli(['validate', '--json', 'examples/app.yaml'])
    expect(good.code).toBe(0)
    expect(JSON.parse(good.stdout)).toEqual({ ok: true, problems: [], warnings: [], summary: { services: 2, replicas: 5, ports: [5005], assignedPorts: 0 } })

    const bad = await runCli(['validate', 'tests/fixtures/config/broken/app.yaml', '--json'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toBe('')
    const report = JSON.parse(bad.stdout) as { ok: boolean; problems: unknown[]; summary: unknown }
    expect(report.ok).toBe(false)
    expect(report.summary).toBeNull()
    expect(report.problems[0]).toEqual({
      file: 'tests/fixtures/config/broken/app.yaml',
      line: 3,
      col: 3,
      severity: 'error',
      message: 'service "web": unknown field "replicaz" (did you mean "replicas"?)',
    })
    expect(report.problems).toHaveLength(5)
  })

  it('refuses an executable path that does not exist, absolute or relative, with its line:col', async () => {
    const file = join(dir, 'paths.yaml')
    await writeFile(file, '- name: a\n  executable: /nonexistent/bin/thing\n- name: b\n  executable: ./nope/bin/thing\n')
    expect(await runCli(['validate', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `${file}:2:15: service "a": executable "/nonexistent/bin/thing" does not exist`,
        `${file}:4:15: service "b": executable "./nope/bin/thing" does not exist (looked for ${join(dir, 'nope/bin/thing')})`,
        '',
      ].join('\n'),
    })
  })

  it('warns, and passes, when a command name is not on PATH (it may be installed later)', async () => {
    const file = join(dir, 'names.yaml')
    await writeFile(file, '- name: a\n  executable: no-such-command-1f3a\n- name: b\n  executable: node\n')
    expect(await runCli(['validate', file])).toEqual({
      code: 0,
      stdout: `${file}: 2 services, 2 replicas, no ports\n`,
      stderr: `${file}:2:15: warning: service "a": executable "no-such-command-1f3a" is not on PATH; the service fails to start unless it is there by then\n`,
    })
    const json = JSON.parse((await runCli(['validate', '--json', file])).stdout) as { ok: boolean; warnings: unknown[] }
    expect(json.ok).toBe(true)
    expect(json.warnings).toEqual([
      { file, line: 2, col: 15, severity: 'warning', message: 'service "a": executable "no-such-command-1f3a" is not on PATH; the service fails to start unless it is there by then' },
    ])
  })

  it('looks for a command name on the PATH the service\'s env sets, as its replicas will', async () => {
    const file = join(dir, 'own-path.yaml')
    await writeFile(file, '- name: a\n  executable: node\n  env:\n    PATH: /nonexistent\n')
    const run = await runCli(['validate', file])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe(`${file}:2:15: warning: service "a": executable "node" is not on PATH; the service fails to start unless it is there by then\n`)
  })

  it('cleans what a problem quotes of app.yaml before it reaches the terminal', async () => {
    const file = join(dir, 'escapes.yaml')
    // a field named with a clipboard write (OSC 52) and a title, in YAML's double-quoted escapes
    await writeFile(file, '- name: web\n  executable: node\n  "x\\e]52;c;aGk=\\ay\\e]0;t\\a": 1\n')
    const run = await runCli(['validate', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('unknown field "xy"')
    // eslint-disable-next-line no-control-regex
    expect(run.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/)
  })
})

