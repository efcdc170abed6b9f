import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadApplication, parseApplication } from '../../../src-main/core/config/load-application'
import type { Application } from '../../../src-shared/app-model'

const fixtures = resolve('tests/fixtures/config')

function parse(text: string, file = '/apps/demo/app.yaml'): Application {
  const result = parseApplication(text, file)
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'))
  return result.application
}

describe('loadApplication', () => {
  it('reads every field of the map form into the model, paths resolved from the file', async () => {
    const dir = resolve(fixtures, 'full')
    const result = await loadApplication('tests/fixtures/config/full/app.yaml')
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(result.application).toEqual({
      name: 'shop',
      source: resolve(dir, 'app.yaml'),
      directory: dir,
      services: [
        {
          name: 'api',
          kind: 'project',
          project: resolve(dir, 'api'),
          args: [],
          workingDirectory: resolve(dir, 'api'),
          replicas: 2,
          env: [
            { name: 'LOG_LEVEL', value: 'debug' },
            { name: 'RETRIES', value: '3' },
            { name: 'VERBOSE', value: 'true' },
          ],
          bindings: [
            { port: 7001, host: 'localhost', protocol: 'http' },
            { name: 'metrics', host: 'localhost', protocol: 'tcp' },
          ],
          restart: 'on-failure',
          stopGracePeriodMs: 5000,
          volumes: [], dependsOn: [], autoStart: true, envFiles: [],
        },
        {
          name: 'tool',
          kind: 'executable',
          executable: resolve(dir, 'tools/tool.sh'),
          args: ['--name', 'big shop', 'single quoted', 'plain space'],
          workingDirectory: resolve(dir, 'data'),
          replicas: 1,
          env: [
            { name: 'MODE', value: 'batch' },
            { name: 'COLOR', value: 'blue=green' },
          ],
          bindings: [],
          restart: 'always',
          stopGracePeriodMs: 500,
          volumes: [], dependsOn: [], autoStart: true, envFiles: [],
        },
        {
          name: 'cache',
          kind: 'container',
          image: 'micronetes-test/busybox:1',
          args: ['sh', '-c', 'echo hello; sleep 100'],
          replicas: 1,
          env: [],
          // Tye's rule: the scheme of the connection string is the protocol
          bindings: [{ port: 7002, containerPort: 6379, host: 'localhost', protocol: 'redis', connectionString: 'redis://${host}:${port}' }],
          restart: 'on-failure',
          stopGracePeriodMs: 2000,
          volumes: [{ source: resolve(dir, 'data'), target: '/data', readOnly: true }],
          dependsOn: [], autoStart: true, envFiles: [],
        },
        {
          name: 'db',
          kind: 'external',
          args: [],
          replicas: 1,
          env: [],
          bindings: [{ port: 5432, host: 'db.internal', protocol: 'postgres' }],
          restart: 'on-failure',
          stopGracePeriodMs: 5000,
          volumes: [], dependsOn: [], autoStart: true, envFiles: [],
        },
      ],
    })
  })

  it('loads examples/app.yaml: web with 2 replicas on port 5005, worker with 3', async () => {
    const result = await loadApplication('examples/app.yaml')
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    const { services } = result.application
    expect(services.map((s) => [s.name, s.kind, s.replicas, s.bindings.map((b) => b.port)])).toEqual([
      ['web', 'executable', 2, [5005]],
      ['worker', 'executable', 3, []],
    ])
    expect(services[0]!.workingDirectory).toBe(resolve('examples/web'))
    expect(services[0]!.readiness?.check).toEqual({ kind: 'http', path: '/healthz', scheme: 'http', headers: [] })
    expect(services[1]!.dependsOn).toEqual([{ service: 'web', condition: 'ready' }])
  })
})

describe('parseApplication', () => {
  it('takes the seed form, a list of services, and names the application after its folder', () => {
    const app = parse('- name: web\n  executable: node\n')
    expect(app.name).toBe('demo')
    expect(app.source).toBe('/apps/demo/app.yaml')
    expect(app.directory).toBe('/apps/demo')
    expect(app.services[0]).toEqual({
      name: 'web',
      kind: 'executable',
      executable: 'node',
      args: [],
      workingDirectory: '/apps/demo',
      replicas: 1,
      env: [],
      bindings: [],
      restart: 'on-failure',
      stopGracePeriodMs: 5000,
      volumes: [], dependsOn: [], autoStart: true, envFiles: [],
    })
  })

  it('takes an env value YAML reads as a number or boolean as written, in every form and through an anchor', () => {
    const app = parse([
      'x-env: &shared',
      '  BIG: 123456789012345678901234567890',
      'services:',
      '  - name: a',
      '    executable: node',
      '    env:',
      '      BIG: 123456789012345678901234567890',
      '      HEX: 0x1F',
      '      FLOAT: 1.50',
      '      UNDERSCORE: 1_000',
      '      YES: True',
      '      QUOTED: "007"',
      '      EMPTY: ~',
      '  - name: b',
      '    executable: node',
      '    env:',
      '      - name: BIG',
      '        value: 123456789012345678901234567890',
      '      - OTHER=0x1F',
      '  - name: c',
      '    executable: node',
      '    env: *shared',
      '',
    ].join('\n'))
    expect(app.services[0]!.env).toEqual([
      { name: 'BIG', value: '123456789012345678901234567890' },
      { name: 'HEX', value: '0x1F' },
      { name: 'FLOAT', value: '1.50' },
      { name: 'UNDERSCORE', value: '1_000' },
      { name: 'YES', value: 'True' },
      { name: 'QUOTED', value: '007' },
      { name: 'EMPTY', value: '' },
    ])
    expect(app.services[1]!.env).toEqual([{ name: 'BIG', value: '123456789012345678901234567890' }, { name: 'OTHER', value: '0x1F' }])
    expect(app.services[2]!.env).toEqual([{ name: 'BIG', value: '123456789012345678901234567890' }])
  })

  it('takes a container\'s working directory as a path inside the container', () => {
    const app = parse('- name: web\n  image: nginx\n  workingDirectory: /usr/share/nginx\n')
    expect(app.services[0]!.workingDirectory).toBe('/usr/share/nginx')
  })

  it('fills binding defaults and gives a container binding its containerPort from port', () => {
    const app = parse('- name: cache\n  dockerImage: example/cache:7\n  bindings:\n    - port: 6379\n')
    expect(app.services[0]!.bindings).toEqual([{ port: 6379, containerPort: 6379, host: 'localhost', protocol: 'http' }])
  })

  it('keeps an args list as is and splits a string like a shell, expanding nothing but ${VAR}', () => {
    const list = parse('- name: a\n  executable: node\n  args: ["$HOME", "a b", "*"]\n')
    expect(list.services[0]!.args).toEqual(['$HOME', 'a b', '*'])
    const line = parse(`- name: a\n  executable: node\n  args: '$\${HOME} "two words" > out.txt a\\"b'\n`)
    expect(line.services[0]!.args).toEqual(['${HOME}', 'two words', '>', 'out.txt', 'a"b'])
  })

  it('reads every way of writing a grace period', () => {
    const graces = ['2', '1.5', '"500ms"', '"1.5s"', '"2m"'].map((g) => parse(`- name: a\n  executable: node\n  stopGracePeriod: ${g}\n`).services[0]!.stopGracePeriodMs)
    expect(graces).toEqual([2000, 1500, 500, 1500, 120_000])
  })

  it('keeps an executable name for PATH lookup and resolves one that is a path', () => {
    expect(parse('- name: a\n  executable: /bin/sh\n').services[0]!.executable).toBe('/bin/sh')
    const relative = parseApplication('- name: a\n  executable: tools/tool.sh\n', 'tests/fixtures/config/full/app.yaml')
    expect(relative.ok && relative.application.services[0]!.executable).toBe(resolve(fixtures, 'full/tools/tool.sh'))
  })

  it('ignores x- fields of the map form, which hold anchors for the services', () => {
    const app = parse('name: shop\nx-node: &node\n  executable: node\n  replicas: 3\nservices:\n  - <<: *node\n    name: web\n')
    expect(app.services.map((s) => [s.name, s.executable, s.replicas])).toEqual([['web', 'node', 3]])
  })

  it('accepts replicas 0 and YAML merge keys', () => {
    const merged = parse('- &base\n  name: a\n  executable: node\n  replicas: 0\n- <<: *base\n  name: b\n')
    expect(merged.services.map((s) => [s.name, s.executable, s.replicas])).toEqual([
      ['a', 'node', 0],
      ['b', 'node', 0],
    ])
  })
})
