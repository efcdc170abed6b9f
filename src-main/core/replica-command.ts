// What program a project or executable service runs, with which arguments and in which
// folder. Pure, so the commands for toolchains this machine lacks (dotnet) are testable.
import { basename, dirname } from 'node:path'
import type { Application, Service } from '../../src-shared/app-model'

export interface ReplicaCommand {
  file: string
  args: string[]
  cwd: string
}

/** ports and env: the launch's (a dapr sidecar and a function are told their ports as flags) */
export function replicaCommand(application: Application, service: Service, ports: number[] = [], env: Record<string, string> = {}): ReplicaCommand {
  if (service.daprSidecar) return daprdCommand(application, service, ports, env)
  if (service.azureFunction) {
    const port = ports[0] === undefined ? [] : ['--port', String(ports[0])]
    return { file: service.azureFunction.func, args: ['start', ...port, ...service.args], cwd: service.azureFunction.folder }
  }
  if (service.kind === 'executable') {
    if (!service.executable) throw new Error(`service ${service.name}: no executable to run`)
    return { file: service.executable, args: [...service.args], cwd: service.workingDirectory ?? application.directory }
  }
  if (service.kind === 'project') {
    const project = service.project
    if (!project) throw new Error(`service ${service.name}: no project to run`)
    if (/\.(cs|fs)proj$/i.test(project)) {
      const extra = service.args.length > 0 ? ['--', ...service.args] : []
      // built once before the replicas start (dotnet/project-build.ts), or never when build is false
      const noBuild = service.dotnetBuild ? ['--no-build'] : []
      return { file: 'dotnet', args: ['run', ...noBuild, '--project', project, ...extra], cwd: service.workingDirectory ?? dirname(project) }
    }
    const folder = basename(project) === 'package.json' ? dirname(project) : project
    const extra = service.args.length > 0 ? ['--', ...service.args] : []
    return { file: 'npm', args: ['start', ...extra], cwd: service.workingDirectory ?? folder }
  }
  throw new Error(`service ${service.name}: a ${service.kind} service is not run as a process`)
}

/**
 * daprd beside one replica of its app: the app's port is the app's published binding port (its
 * proxy), the sidecar's own http, grpc and metrics ports are its bindings' internal ports.
 */
function daprdCommand(application: Application, service: Service, ports: number[], env: Record<string, string>): ReplicaCommand {
  const sidecar = service.daprSidecar!
  const appScope = sidecar.app.toUpperCase()
  const appPort = env[`SERVICE__${appScope}__PORT`]
  const [http, grpc, metrics] = ports
  const args = ['--app-id', sidecar.appId]
  if (appPort) args.push('--app-port', appPort)
  if (http !== undefined) args.push('--dapr-http-port', String(http))
  if (grpc !== undefined) args.push('--dapr-grpc-port', String(grpc))
  if (metrics !== undefined) args.push('--metrics-port', String(metrics))
  args.push(...sidecar.flags)
  return { file: 'daprd', args, cwd: application.directory }
}
