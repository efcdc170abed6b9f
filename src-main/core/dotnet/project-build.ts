// A .NET project is built once before its replicas start, as `tye run` does, so replicas then
// start with `dotnet run --no-build` instead of each compiling the same project at once. Tye's
// `buildProperties` go to the build as MSBuild properties; `build: false` skips it.
import { spawn } from 'node:child_process'
import { dirname } from 'node:path'
import type { Service } from '../../../src-shared/app-model'
import { resolveCommand } from '../platform/command-path'

/** lines of the build's output kept for the message of a failed build */
const TAIL_LINES = 20

export function dotnetBuildArgs(service: Service): string[] {
  const properties = (service.dotnetBuild?.properties ?? []).map((p) => `-p:${p.name}=${p.value}`)
  return ['build', service.project ?? '', ...properties]
}

export function buildProject(service: Service, env: Record<string, string>, log: (text: string) => void): Promise<void> {
  const cwd = dirname(service.project ?? '.')
  const args = dotnetBuildArgs(service)
  const program = resolveCommand('dotnet', { cwd, env })
  log(`building ${service.project} (dotnet ${args.slice(1).join(' ')})`)
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const tail: string[] = []
    let partial = ''
    const take = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split(/\r?\n/)
      partial = lines.pop() ?? ''
      for (const line of lines) {
        log(line)
        tail.push(line)
        if (tail.length > TAIL_LINES) tail.shift()
      }
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('error', (error) => reject(new Error(`cannot build ${service.project}: ${error.message}`)))
    child.on('close', (code, signal) => {
      if (partial !== '') take(Buffer.from('\n'))
      if (code === 0) {
        log(`built ${service.project}`)
        resolve()
        return
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
      reject(new Error(`the build of ${service.project} failed: dotnet build ${how}${tail.length > 0 ? `\n${tail.join('\n')}` : ''}`))
    })
  })
}

/** one build per project per run, shared by the replicas that start together */
export class SharedProjectBuilds {
  private readonly builds = new Map<string, { done: Promise<void>; failed: boolean }>()

  ensure(service: Service, env: Record<string, string>, log: (text: string) => void): Promise<void> {
    const key = service.project ?? service.name
    const known = this.builds.get(key)
    if (known && !known.failed) return known.done
    const entry = { done: Promise.resolve(), failed: false }
    entry.done = buildProject(service, env, log).catch((error: unknown) => {
      // tried again by the next start, after the code is fixed
      entry.failed = true
      throw error
    })
    this.builds.set(key, entry)
    return entry.done
  }
}
