import { describe, expect, it } from 'vitest'
import type { Service } from '../../src-shared/app-model'
import { bindingVariables, hostPortsFor, replicaEnvironment } from '../../src-main/core/discovery-env'
import { replicaCommand } from '../../src-main/core/replica-command'
import { application, binding } from './orchestrator-helpers'

function service(more: Partial<Service>): Service {
  return { name: 'svc', kind: 'executable', executable: 'x', args: [], replicas: 1, env: [], bindings: [], restart: 'on-failure', stopGracePeriodMs: 5000, volumes: [], dependsOn: [], autoStart: true, envFiles: [], ...more }
}

describe('discovery variables', () => {
  it('gives a container the host ports its variables point at through host.docker.internal, and no others', () => {
    const app = application([service({ name: 'api' }), service({ name: 'db' })])
    const published = { api: [binding({ port: 5000 }), binding({ name: 'grpc', port: 5001 })], db: [binding({ host: 'db.example.com', port: 5432 })] }
    const bindingsOf = (name: string) => published[name as keyof typeof published] ?? []
    expect(hostPortsFor(app, bindingsOf)).toEqual([5000, 5001])
    const env = replicaEnvironment({ application: app, service: service({ name: 'c', kind: 'container', image: 'x' }), replicaName: 'c_1-1', listenPorts: [], bindingsOf })
    expect([env.SERVICE__API__HOST, env.SERVICE__API__GRPC__HOST, env.SERVICE__DB__HOST]).toEqual(['host.docker.internal', 'host.docker.internal', 'db.example.com'])
  })

  it('names the default and named bindings both ways, with connection strings filled', () => {
    const env = bindingVariables('my-db', [binding({ port: 5432, protocol: 'tcp', connectionString: 'Host=${host};Port=${port}' }), binding({ name: 'admin-ui', port: 8081 })], false)
    expect(env).toEqual({
      'SERVICE__MY-DB__HOST': 'localhost',
      'SERVICE__MY-DB__PORT': '5432',
      'SERVICE__MY-DB__PROTOCOL': 'tcp',
      MY_DB_SERVICE_HOST: 'localhost',
      MY_DB_SERVICE_PORT: '5432',
      MY_DB_SERVICE_PROTOCOL: 'tcp',
      'CONNECTIONSTRINGS__MY-DB': 'Host=localhost;Port=5432',
      'SERVICE__MY-DB__ADMIN-UI__HOST': 'localhost',
      'SERVICE__MY-DB__ADMIN-UI__PORT': '8081',
      'SERVICE__MY-DB__ADMIN-UI__PROTOCOL': 'http',
      MY_DB_ADMIN_UI_SERVICE_HOST: 'localhost',
      MY_DB_ADMIN_UI_SERVICE_PORT: '8081',
      MY_DB_ADMIN_UI_SERVICE_PROTOCOL: 'http',
    })
  })

  it('tells containers to reach the host as host.docker.internal, other hosts unchanged', () => {
    const env = bindingVariables('web', [binding({ port: 80, connectionString: 'http://${host}:${port}' }), binding({ name: 'remote', host: 'db.example.com', port: 1 })], true)
    expect(env.SERVICE__WEB__HOST).toBe('host.docker.internal')
    expect(env.CONNECTIONSTRINGS__WEB).toBe('http://host.docker.internal:80')
    expect(env.SERVICE__WEB__REMOTE__HOST).toBe('db.example.com')
  })

  it('uses the first binding as the default when every binding is named', () => {
    const env = bindingVariables('api', [binding({ name: 'http', port: 1000 }), binding({ name: 'grpc', port: 2000 })], false)
    expect(env.SERVICE__API__PORT).toBe('1000')
    expect(env.SERVICE__API__GRPC__PORT).toBe('2000')
  })

  it('gives a replica PORT, APP_INSTANCE, ASPNETCORE_URLS for .NET, and lets the service env win', () => {
    const svc = service({ kind: 'project', project: '/src/Api/Api.csproj', bindings: [binding({ port: 5000 }), binding({ name: 'secure', port: 5001, protocol: 'https' })], env: [{ name: 'PORT', value: 'mine' }, { name: 'A', value: 'b' }] })
    const env = replicaEnvironment({ application: application([svc]), service: svc, replicaName: 'svc_00000000-1', listenPorts: [41000, 41001], bindingsOf: () => svc.bindings, parentEnv: { HOME: '/root' } })
    expect(env).toMatchObject({ HOME: '/root', APP_INSTANCE: 'svc_00000000-1', ASPNETCORE_URLS: 'http://localhost:41000;https://localhost:41001', PORT: 'mine', A: 'b' })
  })

  it('does not pass on a PORT inherited from the shell to a replica without ports', () => {
    const svc = service({ env: [] })
    const env = replicaEnvironment({ application: application([svc]), service: svc, replicaName: 'svc_00000000-1', listenPorts: [], bindingsOf: () => [], parentEnv: { PORT: '3000', HOME: '/root' } })
    expect(env.PORT).toBeUndefined()
    expect(env.HOME).toBe('/root')
  })

  it('gives containers no parent environment and their container ports', () => {
    const svc = service({ kind: 'container', image: 'redis', bindings: [binding({ port: 6379 })] })
    const env = replicaEnvironment({ application: application([svc]), service: svc, replicaName: 'svc_00000000-1', listenPorts: [6379], bindingsOf: () => svc.bindings, parentEnv: { HOME: '/root' } })
    expect(env.HOME).toBeUndefined()
    expect(env.PORT).toBe('6379')
    expect(env.SERVICE__SVC__HOST).toBe('host.docker.internal')
  })
})

describe('replica command', () => {
  const app = application([])
  it('runs a .csproj or .fsproj with dotnet run --project, arguments after --', () => {
    expect(replicaCommand(app, service({ kind: 'project', project: '/src/Api/Api.csproj', args: ['--verbose'] }))).toEqual({
      file: 'dotnet',
      args: ['run', '--project', '/src/Api/Api.csproj', '--', '--verbose'],
      cwd: '/src/Api',
    })
    expect(replicaCommand(app, service({ kind: 'project', project: '/src/F/F.fsproj' })).args).toEqual(['run', '--project', '/src/F/F.fsproj'])
  })

  it('runs a folder or package.json with npm start in that folder', () => {
    expect(replicaCommand(app, service({ kind: 'project', project: '/src/web' }))).toEqual({ file: 'npm', args: ['start'], cwd: '/src/web' })
    expect(replicaCommand(app, service({ kind: 'project', project: '/src/web/package.json', args: ['a b'] }))).toEqual({ file: 'npm', args: ['start', '--', 'a b'], cwd: '/src/web' })
  })

  it('runs an executable in its working directory, else the app folder', () => {
    expect(replicaCommand(app, service({ executable: 'node', args: ['x.js'] }))).toEqual({ file: 'node', args: ['x.js'], cwd: app.directory })
    expect(replicaCommand(app, service({ executable: 'node', workingDirectory: '/w' })).cwd).toBe('/w')
  })
})
