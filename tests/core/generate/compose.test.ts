import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { Application } from '../../../src-shared/app-model'
import { loadApplication } from '../../../src-main/core/config/load-application'
import { generateCompose, type ComposeOutput } from '../../../src-main/core/generate/compose'
import { composeYaml } from '../../../src-main/core/generate/compose-yaml'
import { composeSchemaErrors } from './compose-schema'
import { everyForm, withImages } from './sample-apps'

function generated(application: Application, directory?: string): { output: ComposeOutput; notes: string[] } {
  const result = generateCompose(application, directory === undefined ? {} : { directory })
  if (!result.ok) throw new Error(result.problems.join('\n'))
  expect(composeSchemaErrors(result.value.file)).toEqual([])
  return { output: result.value, notes: result.notes.map((n) => `${n.service ?? ''}: ${n.message}`) }
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micronetes-compose-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('generate compose', () => {
  it('makes a file of every binding, probe and dependency form that Compose\'s schema accepts', () => {
    const { output } = generated(everyForm())
    expect(Object.keys(output.file.services)).toEqual(['web', 'api', 'db', 'logger', 'migrate', 'queue', 'worker', 'paused'])
  })

  it('rewrites the discovery variables to Compose service names and container ports, the service\'s env last', () => {
    const { services } = generated(everyForm()).output.file
    expect(services.worker!.environment).toMatchObject({
      SERVICE__WEB__HOST: 'web', SERVICE__WEB__PORT: '5005', SERVICE__WEB__METRICS__PORT: '8080',
      SERVICE__API__PORT: '9000', 'SERVICE__API__ADMIN-UI__PORT': '443',
      CONNECTIONSTRINGS__DB: 'Host=db;Port=5432;Password=secret',
      SERVICE__PAYMENTS__HOST: 'payments.example.com', SERVICE__LDAP__HOST: '10.0.0.7',
      SERVICE__LICENSE__HOST: 'host.docker.internal', CONNECTIONSTRINGS__LICENSE: 'tcp://host.docker.internal:27000',
      PORT: '6000', ASPNETCORE_URLS: 'http://+:6000',
    })
    // "$" is Compose's interpolation: written "$$" so the container gets "$" as app.yaml says
    expect(services.web!.environment).toMatchObject({ GREETING: 'hello $$USER', FLAG: 'on', PORT: '5005;8080' })
    expect(services.web!.extra_hosts).toEqual(['host.docker.internal:host-gateway'])
  })

  it('maps images, args, replicas, ports, healthchecks, restarts and resources', () => {
    const { services } = generated(everyForm()).output.file
    expect(services.web).toMatchObject({
      image: 'registry.example.com/web:2',
      // two replicas cannot share host port 5005: each gets one Docker picks; metrics has no port to publish
      ports: ['5005'],
      healthcheck: { test: ['CMD-SHELL', "wget -q -O /dev/null --no-check-certificate --header 'X-Probe: yes' https://127.0.0.1:8080/ready || curl -fs -o /dev/null -k -H 'X-Probe: yes' https://127.0.0.1:8080/ready"], interval: '5s', timeout: '1500ms', retries: 4, start_period: '2s' },
      restart: 'on-failure',
      stop_grace_period: '5s',
      deploy: { replicas: 2, resources: { limits: { cpus: '1', memory: '1g' }, reservations: { cpus: '0.25', memory: '128m' } } },
    })
    expect(services.web!.command).toBeUndefined()
    expect(services.api).toMatchObject({ command: ['serve', '--port', '9000'], working_dir: '/srv', ports: ['9443:443'], healthcheck: { test: ['CMD', '/bin/check', '--ready'] } })
    expect(services.db).toMatchObject({ ports: ['5432:5432'], healthcheck: { test: ['CMD-SHELL', 'nc -z 127.0.0.1 5432'] }, volumes: [{ type: 'bind', source: './data', target: '/var/lib/data' }] })
    expect(services.migrate!.restart).toBe('no')
    expect(services.paused).toMatchObject({ restart: 'no', deploy: { replicas: 0 } })
    expect(services.logger!.healthcheck).toBeUndefined()
  })

  it('turns dependencies into depends_on conditions, started when Compose cannot tell ready', () => {
    const { output, notes } = generated(everyForm())
    expect(output.file.services.worker!.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      api: { condition: 'service_started' },
      migrate: { condition: 'service_completed_successfully' },
      queue: { condition: 'service_started' },
      logger: { condition: 'service_started' },
    })
    expect(notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^worker: it waits for "queue" to be ready locally; "queue" has no healthcheck/),
      expect.stringMatching(/^logger: its readiness waits for a log line matching .*no healthcheck generated/),
      expect.stringMatching(/^web: 2 replicas cannot share host port 5005/),
      expect.stringMatching(/^api: its liveness probe has no Compose form/),
      expect.stringMatching(/^license: external, on this machine/),
    ]))
  })

  it('writes the notes as comments above their service, and YAML that reads back as the file', () => {
    const { output } = generated(everyForm())
    const text = composeYaml(output, ['generated by micronetes'])
    expect(text).toMatch(/^# generated by micronetes\n# service "license": external/)
    expect(text).toMatch(/# its readiness waits for a log line matching .*\n {2}logger:/)
    expect(parse(text)).toEqual(output.file)
  })

  it('writes bind mount sources relative to the folder of the file', () => {
    const { services } = generated(everyForm(), '/home/me/deploy').output.file
    expect(services.db!.volumes![0]!.source).toBe('../data')
  })

  it('refuses when a program has no image', async () => {
    const loaded = await loadApplication('examples/app.yaml')
    if (!loaded.ok) throw new Error('examples/app.yaml does not load')
    expect(generateCompose(loaded.application)).toMatchObject({ ok: false, problems: [expect.stringMatching(/service "web"/), expect.stringMatching(/service "worker"/)] })
  })

  it.each(['examples/app.yaml', 'examples/docker/app.yaml', 'examples/pubsub/app.yaml'])('makes a valid file of %s once its programs have images, that docker-compose reads', async (file) => {
    const loaded = await loadApplication(file)
    if (!loaded.ok) throw new Error(`${file} does not load`)
    const { output } = generated(withImages(loaded.application), loaded.application.directory)
    const composeFile = join(dir, `${file.replaceAll('/', '-')}.yml`)
    await writeFile(composeFile, composeYaml(output))
    // the Compose implementation's own reading of it, beyond the schema
    const { stdout } = await promisify(execFile)('docker-compose', ['-f', composeFile, '--project-directory', loaded.application.directory, 'config'])
    expect(Object.keys(parse(stdout).services).sort()).toEqual(loaded.application.services.map((s) => s.name).sort())
  })

  it('has a schema check that fails on a wrong file', () => {
    expect(composeSchemaErrors({ services: { web: { image: 'x', deploy: { replicas: 'many' }, restart: 'no' } } })).not.toEqual([])
    expect(composeSchemaErrors({ services: { web: { image: 'x', depends_on: { db: { condition: 'service_ready' } } } } })).not.toEqual([])
  })
})
