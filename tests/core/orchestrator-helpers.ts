// Builds Application objects for core tests (no app.yaml needed) and waits on real processes.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Application, Binding, Service } from '../../src-shared/app-model'
import { processAlive } from '../../src-main/core/proc'

export const programs = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'programs')

export function program(name: string): string {
  return join(programs, name)
}

/** what the loader fills in for a service that says nothing more (fresh arrays each call) */
export function serviceDefaults(): Pick<Service, 'args' | 'replicas' | 'env' | 'bindings' | 'restart' | 'stopGracePeriodMs' | 'volumes' | 'dependsOn' | 'autoStart' | 'envFiles'> {
  return { args: [], replicas: 1, env: [], bindings: [], restart: 'on-failure', stopGracePeriodMs: 5000, volumes: [], dependsOn: [], autoStart: true, envFiles: [] }
}

export function nodeService(name: string, script: string, more: Partial<Service> = {}): Service {
  return {
    ...serviceDefaults(),
    name,
    kind: 'executable',
    executable: process.execPath,
    args: [program(script), ...(more.args ?? [])],
    ...more,
    ...(more.args ? { args: [program(script), ...more.args] } : {}),
  }
}

export function binding(more: Partial<Binding> = {}): Binding {
  return { host: 'localhost', protocol: 'http', ...more }
}

export function application(services: Service[], name = 'test-app'): Application {
  return { name, source: join(programs, 'app.yaml'), directory: programs, services }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** kills leftovers of a failed test by pid, only while they are still alive */
export function killIfAlive(pids: Iterable<number>): void {
  for (const pid of pids) {
    if (!processAlive(pid)) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
}
