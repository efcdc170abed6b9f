// Which services start, and in which order they stop. A subset asked for on the command line
// brings in everything it depends on, transitively; the others, and services with autoStart:
// false, are listed as not started. Stopping takes dependents down before what they depend on.
import type { Application, Service } from '../../src-shared/app-model'
import { ControlError } from '../../src-shared/errors'

/** every service named and, transitively, what they depend on */
export function withDependencies(services: readonly Service[], names: readonly string[]): Set<string> {
  const byName = new Map(services.map((s) => [s.name, s]))
  const unknown = names.filter((n) => !byName.has(n))
  if (unknown.length > 0) {
    const known = services.map((s) => s.name).join(', ')
    throw new ControlError('not-found', `no service named ${unknown.join(', ')} in this application (its services: ${known})`)
  }
  const chosen = new Set<string>()
  const add = (name: string): void => {
    if (chosen.has(name)) return
    chosen.add(name)
    for (const d of byName.get(name)?.dependsOn ?? []) add(d.service)
  }
  names.forEach(add)
  return chosen
}

/** per service left out at start, why; asked: the services named to run (all when undefined) */
export function notStartedReasons(app: Application, asked?: readonly string[]): Map<string, string> {
  const reasons = new Map<string, string>()
  const chosen = asked && asked.length > 0 ? withDependencies(app.services, asked) : undefined
  for (const service of app.services) {
    if (service.kind === 'external') continue
    if (chosen && !chosen.has(service.name)) reasons.set(service.name, 'not among the services asked for')
    else if (!chosen && !service.autoStart) reasons.set(service.name, 'autoStart is false')
  }
  return reasons
}

/** the services, dependents first: each wave only holds services nothing left depends on */
export function stopWaves(services: readonly Service[]): string[][] {
  const left = new Set(services.map((s) => s.name))
  const waves: string[][] = []
  while (left.size > 0) {
    const needed = new Set(services.filter((s) => left.has(s.name)).flatMap((s) => s.dependsOn.map((d) => d.service)))
    let wave = [...left].filter((name) => !needed.has(name))
    // the loader refuses cycles; should one get here, stop the rest together rather than never
    if (wave.length === 0) wave = [...left]
    for (const name of wave) left.delete(name)
    waves.push(wave)
  }
  return waves
}
