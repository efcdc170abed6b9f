// Project Tye's tye.yaml read as Tye reads it: its aliases, names, binding rules, env files
// and includes, and a clear word for what Micronetes does not do yet.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadApplication, parseApplication } from '../../../src-main/core/config/load-application'
import type { Application } from '../../../src-shared/app-model'
import { formatProblem } from '../../../src-shared/problems'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** a temp folder holding these files (paths with "/") */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'micronetes-tye-'))
  folders.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

function parse(text: string, file = '/apps/demo/tye.yaml'): Application {
  const result = parseApplication(text, file)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.application
}

function problems(text: string, file = 'tye.yaml'): string[] {
  const result = parseApplication(text, file)
  return result.ok ? [] : result.problems.map(formatProblem)
}

describe("Tye's spellings", () => {
  it('takes projectFile for project and Windows-style relative paths on every OS', () => {
    const root = tree({ 'Web/Web.csproj': '<Project />', 'tools/run.sh': '', 'data/.keep': '' })
    const app = parse('services:\n- name: web\n  projectFile: Web\\Web.csproj\n- name: tool\n  executable: tools\\run.sh\n  workingDirectory: .\\data\n', join(root, 'tye.yaml'))
    expect(app.services[0]).toMatchObject({ kind: 'project', project: join(root, 'Web/Web.csproj'), workingDirectory: join(root, 'Web') })
    expect(app.services[1]).toMatchObject({ kind: 'executable', executable: join(root, 'tools/run.sh'), workingDirectory: join(root, 'data') })
  })

  it('refuses project and projectFile together', () => {
    expect(problems('- name: web\n  project: /\n  projectFile: b\n')).toEqual(['tye.yaml:3:3: service "web": use "project" or its alias "projectFile", not both'])
  })

  it('reads names without case: appA is the service appa, and its variables say APPA', () => {
    const app = parse('- name: appA\n  executable: node\n  bindings:\n  - name: myBinding\n    port: 7001\n')
    expect(app.services[0]!.name).toBe('appa')
    expect(app.services[0]!.bindings[0]!.name).toBe('myBinding')
  })

  it('names both services, and both bindings, that are the same once case is set aside', () => {
    expect(problems('- name: appA\n  executable: node\n- name: appa\n  executable: node\n')).toEqual([
      'tye.yaml:3:9: services "appA" (line 1) and "appa" are the same service: names are compared without case',
    ])
    expect(problems('- name: web\n  executable: node\n  bindings:\n  - name: myBinding\n  - name: MyBinding\n')).toEqual([
      'tye.yaml:5:11: service "web": binding names "myBinding" and "MyBinding" differ only in case; their variables would be the same',
    ])
  })

  it('takes configuration for env, a bare KEY from the environment, and refuses two of them', () => {
    process.env.MICRONETES_TYE_TEST = 'from the shell'
    try {
      const app = parse('- name: web\n  executable: node\n  configuration:\n  - name: A\n    value: 1\n  - B=two\n  - MICRONETES_TYE_TEST\n')
      expect(app.services[0]!.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'MICRONETES_TYE_TEST', value: 'from the shell' }])
    } finally {
      delete process.env.MICRONETES_TYE_TEST
    }
    expect(problems('- name: web\n  executable: node\n  env: {A: 1}\n  configuration: [B=2]\n')).toEqual([
      'tye.yaml:4:3: service "web": use "env" or one of its aliases "environment", "configuration", not both "env" and "configuration"',
    ])
  })

  it('reads env_file relative to the file, the service env winning over it, and says which file is missing', () => {
    const root = tree({ 'tye.yaml': '- name: web\n  executable: node\n  env_file:\n  - ./config/a.env\n  - b.env\n  env:\n  - SHARED=from env\n', 'config/a.env': '# comment\nA="quoted"\nSHARED=from a\n\n', 'b.env': 'B = spaced \n' })
    const app = parse('- name: web\n  executable: node\n  env_file:\n  - ./config/a.env\n  - b.env\n  env:\n  - SHARED=from env\n', join(root, 'tye.yaml'))
    expect(app.services[0]!.env).toEqual([{ name: 'A', value: 'quoted' }, { name: 'B', value: 'spaced' }, { name: 'SHARED', value: 'from env' }])
    expect(app.services[0]!.envFiles).toEqual([join(root, 'config/a.env'), join(root, 'b.env')])
    const missing = parseApplication('- name: web\n  executable: node\n  env_file: nope.env\n', join(root, 'tye.yaml'))
    expect(missing.ok || missing.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([`3:13: service "web": env file "nope.env": no such file (looked for ${join(root, 'nope.env')})`])
  })

  it('keeps dashboardPort and network for the run, and accepts registry, namespace, solution and tags', () => {
    const app = parse('name: shop\nregistry: example.azurecr.io\nnamespace: shop\nsolution: shop.sln\ndashboardPort: 8123\nnetwork: shared-net\nservices:\n- name: web\n  executable: node\n  tags: [ui, 2]\n')
    expect([app.dashboardPort, app.network, app.services[0]!.tags]).toEqual([8123, 'shared-net', ['ui', '2']])
  })

  it('says a Tye feature is not supported yet instead of "unknown field"', () => {
    expect(problems('containerEngine: podman\nservices:\n- name: web\n  repository: https://example.com/web.git\n')).toEqual([
      'tye.yaml:1:1: "containerEngine" is a Project Tye feature that Micronetes does not support yet; containers run on the Docker engine that DOCKER_HOST names; point DOCKER_HOST at a Podman socket to use Podman (see docs/coming-from-tye.md)',
      'tye.yaml:3:3: service "web": nothing to run: give one of "project", "executable" or "dockerImage" (or "external: true")',
      'tye.yaml:4:3: service "web": "repository" is a Project Tye feature that Micronetes does not support yet; clone the repository yourself and "include" its tye.yaml (see docs/coming-from-tye.md)',
    ])
  })
})

describe("Tye's binding rules", () => {
  const bindings = (text: string) => parse(text).services[0]!.bindings

  it('gives a container binding without port http on 80, or https on 443, and a port at start', () => {
    expect(bindings('- name: web\n  image: nginx\n  bindings:\n  - name: http\n  - name: tls\n    protocol: https\n')).toEqual([
      { name: 'http', containerPort: 80, host: 'localhost', protocol: 'http' },
      { name: 'tls', containerPort: 443, host: 'localhost', protocol: 'https' },
    ])
  })

  it('infers the protocol and port of a well-known image, and the protocol from a connection string scheme', () => {
    expect(bindings('- name: cache\n  image: redis:7\n  bindings:\n  - port: 6380\n')).toEqual([{ port: 6380, containerPort: 6380, host: 'localhost', protocol: 'redis' }])
    expect(bindings('- name: db\n  image: docker.io/library/postgres:16\n  bindings:\n  - {}\n')).toEqual([{ containerPort: 5432, host: 'localhost', protocol: 'postgres' }])
    expect(bindings('- name: q\n  image: rabbitmq:3-management\n  bindings:\n  - port: 5672\n')[0]!.protocol).toBe('rabbitmq')
    expect(bindings('- name: m\n  image: mongo\n  bindings:\n  - containerPort: 27017\n')[0]!.protocol).toBe('mongodb')
    expect(bindings('- name: web\n  executable: node\n  bindings:\n  - port: 7100\n    connectionString: amqp://${host}:${port}\n')[0]!.protocol).toBe('amqp')
  })

  it('publishes a binding with only a connection string as that string: no port, no proxy', () => {
    expect(bindings('- name: db\n  external: true\n  bindings:\n  - connectionString: Server=db;Database=x\n')).toEqual([
      { host: 'localhost', protocol: 'http', connectionString: 'Server=db;Database=x', connectionStringOnly: true },
    ])
  })

  it("fills Tye's ${env:NAME} in a connection string from the service's own variables", () => {
    expect(bindings('- name: db\n  image: postgres\n  env:\n  - POSTGRES_PASSWORD=pass@word1\n  bindings:\n  - port: 5432\n    connectionString: Server=${host};Port=${port};Password=${env:POSTGRES_PASSWORD};\n')[0]).toMatchObject({
      protocol: 'postgres',
      connectionString: 'Server=${host};Port=${port};Password=pass@word1;',
    })
  })

  it('takes routes, internalPort as containerPort, and autoAssignPort', () => {
    expect(bindings('- name: web\n  image: example/web\n  bindings:\n  - internalPort: 5000\n    autoAssignPort: true\n    routes: [/swagger, /health]\n')).toEqual([
      { containerPort: 5000, host: 'localhost', protocol: 'http', routes: ['/swagger', '/health'] },
    ])
    expect(problems('- name: web\n  image: example/web\n  bindings:\n  - containerPort: 1\n    internalPort: 2\n')).toEqual([
      'tye.yaml:5:5: service "web": use "containerPort" or its older name "internalPort", not both',
    ])
    expect(problems('- name: web\n  image: example/web\n  bindings:\n  - routes: [swagger]\n')).toEqual([
      'tye.yaml:4:14: service "web": item 1 of "routes" must be a path starting with "/", not "swagger"',
    ])
  })

  it('mounts named volumes, and keeps volumes on a project', () => {
    const app = parse('- name: db\n  image: example/db\n  volumes:\n  - name: data-vol\n    target: /data\n- name: api\n  project: api.csproj\n  volumes:\n  - name: api-data\n    target: /data\n'.replace('api.csproj', '/'))
    expect(app.services[0]!.volumes).toEqual([{ name: 'data-vol', target: '/data', readOnly: false }])
    expect(app.services[1]!.volumes).toEqual([{ name: 'api-data', target: '/data', readOnly: false }])
    expect(problems('- name: db\n  image: x\n  volumes:\n  - target: /data\n  - name: a\n    source: .\n    target: /b\n')).toEqual([
      'tye.yaml:4:5: service "db": a volume needs a "source" (a path here) or a "name" (a named volume)',
      'tye.yaml:5:5: service "db": a volume has a "source" (a path here) or a "name" (a named volume), not both',
    ])
  })
})

describe("Tye's dockerFile", () => {
  it('builds a container service: Dockerfile and context resolved, args in any of their forms, image named after the service', () => {
    const root = tree({ 'web/Dockerfile': 'FROM scratch\n', 'ctx/docker/Dockerfile.dev': 'FROM scratch\n' })
    const app = parse('- name: Web\n  dockerFile: web\\Dockerfile\n  dockerFileArgs: {A: 1}\n  bindings: [{}]\n- name: api\n  image: example/api:dev\n  dockerFile: ctx/docker/Dockerfile.dev\n  dockerFileContext: ctx\n  dockerFileArgs: [B=2, {C: three}]\n', join(root, 'tye.yaml'))
    expect(app.services.map((s) => [s.kind, s.image, s.dockerBuild])).toEqual([
      ['container', 'micronetes-build/web:latest', { dockerfile: join(root, 'web/Dockerfile'), context: join(root, 'web'), args: [{ name: 'A', value: '1' }] }],
      ['container', 'example/api:dev', { dockerfile: join(root, 'ctx/docker/Dockerfile.dev'), context: join(root, 'ctx'), args: [{ name: 'B', value: '2' }, { name: 'C', value: 'three' }] }],
    ])
    expect(app.services[0]!.bindings[0]).toMatchObject({ containerPort: 80, protocol: 'http' })
  })

  it('says what is missing, what is outside the context, and args without a Dockerfile', () => {
    const root = tree({ 'Dockerfile': 'FROM scratch\n', 'sub/.keep': '' })
    const messages = (text: string) => problems(text, join(root, 'tye.yaml')).map((p) => p.slice(root.length + 1))
    expect(messages('- name: a\n  dockerFile: nope/Dockerfile\n- name: b\n  dockerFile: Dockerfile\n  dockerFileContext: sub\n- name: c\n  image: x\n  dockerFileArgs: {A: 1}\n')).toEqual([
      `tye.yaml:2:15: service "a": Dockerfile "nope/Dockerfile" does not exist (looked for ${join(root, 'nope/Dockerfile')})`,
      `tye.yaml:4:15: service "b": Dockerfile "Dockerfile" must be inside the build context ${join(root, 'sub')}: the engine only sees what the context holds`,
      'tye.yaml:8:19: service "c": "dockerFileArgs" goes with "dockerFile"',
    ])
  })
})

describe('.NET projects as Tye runs them', () => {
  it('builds first unless build: false, with buildProperties; takes bindings and variables from launchSettings.json only when the file gives none', () => {
    const root = tree({
      'A/A.csproj': '',
      'A/Properties/launchSettings.json': '\uFEFF' + JSON.stringify({ profiles: { iis: { commandName: 'IISExpress', applicationUrl: 'http://localhost:1' }, A: { commandName: 'Project', applicationUrl: 'https://localhost:7001;http://localhost:7000', environmentVariables: { ASPNETCORE_ENVIRONMENT: 'Development', MODE: 'x' } } } }),
      'B/B.csproj': '',
      'B/Properties/launchSettings.json': JSON.stringify({ profiles: { B: { commandName: 'Project', applicationUrl: 'http://localhost:7002' } } }),
    })
    const app = parse('- name: a\n  project: A/A.csproj\n  env: {MODE: mine}\n  buildProperties:\n  - {name: Configuration, value: Release}\n- name: b\n  project: B/B.csproj\n  build: false\n  bindings:\n  - port: 7100\n', join(root, 'tye.yaml'))
    expect(app.services[0]).toMatchObject({
      dotnetBuild: { build: true, properties: [{ name: 'Configuration', value: 'Release' }] },
      bindings: [{ name: 'https', port: 7001, host: 'localhost', protocol: 'https' }, { name: 'http', port: 7000, host: 'localhost', protocol: 'http' }],
      env: [{ name: 'ASPNETCORE_ENVIRONMENT', value: 'Development' }, { name: 'MODE', value: 'mine' }],
    })
    expect(app.services[1]).toMatchObject({ dotnetBuild: { build: false, properties: [] }, bindings: [{ port: 7100, host: 'localhost', protocol: 'http' }] })
  })

  it('refuses build fields on anything but a .NET project, and says when launchSettings.json is broken', () => {
    const root = tree({ 'C/C.csproj': '', 'C/Properties/launchSettings.json': '{ nope' })
    const messages = problems('- name: web\n  executable: node\n  build: false\n- name: c\n  project: C/C.csproj\n', join(root, 'tye.yaml')).map((p) => p.slice(root.length + 1))
    expect(messages[0]).toBe('tye.yaml:3:3: service "web": "build: false" is only for .NET projects (a .csproj or .fsproj); give a command to run before each start instead')
    expect(messages[1]).toMatch(new RegExp(`^tye.yaml:5:12: service "c": ${join(root, 'C/Properties/launchSettings.json').replace(/[/.]/g, '\\$&')} is not valid JSON: `))
  })
})

describe("Tye's include", () => {
  it("joins the included file's services, its paths relative to it, a service both define kept once", async () => {
    const root = tree({
      'shop/tye.yaml': 'name: shop\nservices:\n- name: web\n  executable: node\n- name: worker\n  include: ..\\worker\\tye.yaml\n',
      'worker/tye.yaml': 'name: worker\nservices:\n- name: worker\n  executable: bin/work.sh\n- name: web\n  executable: other\n- name: more\n  include: more/tye.yml\n',
      'worker/bin/work.sh': '',
      'worker/more/tye.yml': '- name: extra\n  executable: node\n  workingDirectory: .\n',
    })
    const result = await loadApplication(join(root, 'shop/tye.yaml'))
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    const app = result.application
    expect(app.services.map((s) => [s.name, s.executable, s.workingDirectory])).toEqual([
      ['web', 'node', join(root, 'shop')],
      ['worker', join(root, 'worker/bin/work.sh'), join(root, 'worker')],
      ['extra', 'node', join(root, 'worker/more')],
    ])
    expect(app.includes).toEqual([join(root, 'worker/tye.yaml'), join(root, 'worker/more/tye.yml')])
  })

  it("points a problem of the included file at that file's line and column", async () => {
    const root = tree({ 'app/tye.yaml': '- name: web\n  executable: node\n- name: lib\n  include: ../lib/tye.yaml\n', 'lib/tye.yaml': '- name: lib\n  executable: node\n  replicas: many\n' })
    const result = await loadApplication(join(root, 'app/tye.yaml'))
    expect(result.ok || result.problems.map(formatProblem)).toEqual([`${join(root, 'lib/tye.yaml')}:3:13: service "lib": "replicas" must be a whole number from 0 to 100, not "many"`])
  })

  it('refuses a missing file, an include of itself, and fields beside include, at the include line', () => {
    const root = tree({ 'a.yaml': '- name: b\n  include: b.yaml\n  replicas: 2\n- name: gone\n  include: gone.yaml\n', 'b.yaml': '- name: a\n  include: a.yaml\n' })
    const result = parseApplication('- name: b\n  include: b.yaml\n  replicas: 2\n- name: gone\n  include: gone.yaml\n', join(root, 'a.yaml'))
    const messages = result.ok ? [] : result.problems.map((p) => `${p.file.slice(root.length + 1)}:${p.line}:${p.col}: ${p.message}`)
    expect(messages).toEqual([
      'a.yaml:3:3: an entry with "include" brings in another file\'s services; it takes no "replicas"',
      `a.yaml:5:12: cannot include "gone.yaml": no such file (looked for ${join(root, 'gone.yaml')})`,
      'b.yaml:2:12: "a.yaml" includes itself (a.yaml -> b.yaml -> a.yaml)',
    ])
  })

  it('lets dependsOn name a service of an included file, and names without case', () => {
    const root = tree({ 'lib/tye.yaml': '- name: Redis\n  executable: node\n' })
    const app = parse('- name: web\n  executable: node\n  dependsOn: [REDIS, Api]\n- name: api\n  executable: node\n- name: lib\n  include: lib/tye.yaml\n', join(root, 'tye.yaml'))
    expect(app.services[0]!.dependsOn.map((d) => d.service)).toEqual(['redis', 'api'])
  })

  it('checks binding ports across the files', () => {
    const root = tree({ 'lib/tye.yaml': '- name: lib\n  executable: node\n  bindings:\n  - port: 7300\n' })
    expect(problems('- name: web\n  executable: node\n  bindings:\n  - port: 7300\n- name: lib\n  include: lib/tye.yaml\n', join(root, 'tye.yaml')).map((p) => p.slice(root.length + 1))).toEqual([
      'tye.yaml:6:12: service "lib": binding port 7300 is also used by service "web"',
    ])
  })
})

describe('opening a folder in the desktop app', () => {
  it('opens the tye.yaml of a folder, and says which names it looked for when there is none', async () => {
    const { Session } = await import('../../../src-main/core/session')
    const root = tree({ 'app/tye.yml': '- name: web\n  executable: node\n', 'empty/.keep': '' })
    const asked: string[] = []
    const session = new Session({ desktop: true, loadApplication: async (path) => (asked.push(path), { ok: false, problems: [{ file: path, line: 1, col: 1, severity: 'error', message: 'stop here' }], warnings: [] }) })
    await session.handlers.openApplication({ path: join(root, 'app') })
    expect(asked).toEqual([join(root, 'app/tye.yml')])
    const empty = await session.handlers.openApplication({ path: join(root, 'empty') })
    expect(empty).toMatchObject({ state: 'error', message: `no app.yaml, tye.yaml or tye.yml in ${join(root, 'empty')}` })
  })
})

describe('the shop fixture, a typical Tye application', () => {
  it('loads: four services, the included orders among them', async () => {
    const result = await loadApplication('tests/fixtures/tye/shop/tye.yaml')
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    expect(result.application.services.map((s) => [s.name, s.kind, s.replicas])).toEqual([
      ['frontend', 'executable', 2],
      ['backend', 'executable', 1],
      ['inventorydb', 'external', 1],
      ['orders', 'executable', 1],
    ])
    expect(result.application.services[3]!.workingDirectory).toBe(resolve('tests/fixtures/tye/orders'))
  })
})
