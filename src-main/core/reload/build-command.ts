// A service's `build`: its command run (no shell) in the service's working directory with its
// environment, its output handed on in runs of lines as it comes, the last ones kept to say why it failed.
import { spawn } from 'node:child_process'
import type { Application, Service } from '../../../src-shared/app-model'
import { linesOf, outputSplitter, type LineBatch } from '../line-splitter'

export interface BuildResult {
  ok: boolean
  /** "exited with code 2", "cannot start npm: ENOENT" */
  reason?: string
  /** the last lines of its output */
  tail: string[]
}

const TAIL_LINES = 20

export function runBuild(application: Application, service: Service, onLines: (stream: 'stdout' | 'stderr', batch: LineBatch) => void, parentEnv: NodeJS.ProcessEnv = process.env): Promise<BuildResult> {
  const [file, ...args] = service.build ?? []
  if (!file) return Promise.resolve({ ok: true, tail: [] })
  const tail: string[] = []
  const keep = (stream: 'stdout' | 'stderr', batch: LineBatch) => {
    const lines = linesOf(batch)
    tail.push(...lines.slice(-TAIL_LINES))
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES)
    onLines(stream, batch)
  }
  return new Promise((resolve) => {
    const env = { ...parentEnv, ...Object.fromEntries(service.env.map((e) => [e.name, e.value])) }
    // a build runs on this machine even for a container service (docker build, say)
    const cwd = service.kind === 'container' ? application.directory : (service.workingDirectory ?? application.directory)
    // its own process group: a build that spawns helpers is stopped whole
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    for (const stream of ['stdout', 'stderr'] as const) {
      const splitter = outputSplitter(stream, keep)
      child[stream].on('data', (chunk: Buffer) => splitter.write(chunk))
      child[stream].on('end', () => splitter.end())
    }
    child.on('error', (err) => resolve({ ok: false, reason: `cannot start ${file}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, tail }))
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ok: true, tail })
      else resolve({ ok: false, reason: signal ? `killed by ${signal}` : `exited with code ${code}`, tail })
    })
  })
}
