// What program a project or executable service runs, with which arguments and in which
// folder. Pure, so the commands for toolchains this machine lacks (dotnet) are testable.
import { basename, dirname } from 'node:path'
import type { Application, Service } from '../../src-shared/app-model'

export interface ReplicaCommand {
  file: string
  args: string[]
  cwd: string
}

export function replicaCommand(application: Application, service: Service): ReplicaCommand {
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
