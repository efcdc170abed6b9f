// .NET projects of a Tye application, run with a stand-in `dotnet` on PATH (no .NET SDK
// installs on the test machines): built once first with Tye's buildProperties, skipped with
// `build: false`, bindings and variables taken from Properties/launchSettings.json, a failed
// build failing its own service while the rest runs.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { processAlive } from '../../src-main/core/proc'
import { waitFor } from '../core/orchestrator-helpers'
import { cliRuns } from './cli-runs'
import { get } from '../http-get'

const { pids, startRun } = cliRuns()
const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('.NET projects with a stand-in dotnet', () => {
  it('builds once with buildProperties, honours build: false, infers bindings from launchSettings.json, and fails only the broken project', async () => {
    const root = mkdtempSync(join(tmpdir(), 'micronetes-dotnet-'))
    folders.push(root)
    const bin = join(root, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'dotnet'), `#!/bin/sh\nexec "${process.execPath}" "${resolve('tests/fixtures/programs/dotnet-standin.mjs')}" "$@"\n`)
    chmodSync(join(bin, 'dotnet'), 0o755)
    const apiPort = await freePort()
    const files: Record<string, string> = {
      'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web" />\n',
      'Api/Properties/launchSettings.json': JSON.stringify({
        profiles: {
          'IIS Express': { commandName: 'IISExpress' },
          Api: { commandName: 'Project', applicationUrl: `http://localhost:${apiPort}`, environmentVariables: { ASPNETCORE_ENVIRONMENT: 'Development' } },
        },
      }),
      'Worker/Worker.csproj': '<Project Sdk="Microsoft.NET.Sdk.Worker" />\n',
      'Broken/Broken.csproj': '<Project Sdk="Microsoft.NET.Sdk" />\n',
      'tye.yaml': [
        'name: dotnet-app',
        'services:',
        '- name: Api',
        '  project: Api\\Api.csproj',
        '  replicas: 2',
        '  buildProperties:',
        '  - name: Configuration',
        '    value: Release',
        '- name: worker',
        '  projectFile: Worker/Worker.csproj',
        '  build: false',
        '  bindings:',
        '  - protocol: http',
        '- name: broken',
        '  project: Broken/Broken.csproj',
        '',
      ].join('\n'),
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true })
      writeFileSync(join(root, path), text)
    }
    const log = join(root, 'dotnet-calls.jsonl')

    const { output, exit, stop } = startRun([root, '--port', '0', '--no-dashboard'], { PATH: `${bin}:${process.env.PATH ?? ''}`, DOTNET_STANDIN_LOG: log })

    const answer = await waitFor('the api answers on its launchSettings port', async () => {
      const body = await get(apiPort).catch(() => '')
      return body.startsWith('{') ? (JSON.parse(body) as { args: string[]; urls: string; environment: string }) : undefined
    }, 30_000)
    expect(answer.args).toEqual(['run', '--no-build', '--project', join(root, 'Api/Api.csproj')])
    expect(answer.urls).toMatch(/^http:\/\/localhost:\d+$/)
    expect(answer.urls).not.toBe(`http://localhost:${apiPort}`)
    expect(answer.environment).toBe('Development')
    await waitFor('the broken project failed', () => /broken_[0-9a-f]{8}-1 failed: the build of .*Broken\.csproj failed: dotnet build exited with code 1/.test(output()), 30_000)
    await waitFor('the worker runs', () => /worker_[0-9a-f]{8}-1 running on process id/.test(output()), 30_000)

    const readCalls = () => readFileSync(log, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { args: string[] }).args)
    await waitFor('three runs', () => readCalls().filter((args) => args[0] === 'run').length >= 3, 30_000)
    const calls = readCalls()
    const builds = calls.filter((args) => args[0] === 'build')
    expect(builds).toEqual(expect.arrayContaining([
      ['build', join(root, 'Api/Api.csproj'), '-p:Configuration=Release'],
      ['build', join(root, 'Broken/Broken.csproj')],
    ]))
    expect(builds).toHaveLength(2)
    expect(calls.filter((args) => args[0] === 'run').map((args) => args.at(-1)).sort()).toEqual([join(root, 'Api/Api.csproj'), join(root, 'Api/Api.csproj'), join(root, 'Worker/Worker.csproj')])
    expect(output()).toContain('error CS1002: ; expected')

    const replicaPids = [...pids]
    stop()
    expect(await exit).toBe(0)
    for (const pid of replicaPids) expect(processAlive(pid)).toBe(false)
  })
})
