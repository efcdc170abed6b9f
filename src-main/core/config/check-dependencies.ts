// Checks of dependsOn that span services: every name is a service of the file, none waits for
// itself, `completed` names a service that can complete, and no chain of waits comes back to
// where it began (that app could never start; the message walks the whole cycle).
import type { Service } from '../../../src-shared/app-model'
import type { BuiltService } from './check-application'
import { closestName } from './did-you-mean'
import type { ProblemList } from './problem-list'
import { valueAt } from './where'
import type { Path } from './yaml-source'

interface Entry {
  name: string
  path: Path
  /** a list item is placed at its value, a map entry at its key */
  inList: boolean
  condition: unknown
}

/**
 * Read from the raw file rather than the built services, so a service with a problem
 * elsewhere still has its dependsOn checked, and its name still counts as known.
 */
export function checkDependencies(rawServices: readonly unknown[], base: Path, built: readonly BuiltService[], problems: ProblemList): void {
  const builtByName = new Map(built.map((b) => [b.service.name, b.service]))
  // names are compared without case (Tye's rule), and an included file's services count too
  const allNames = rawServices.map((raw) => (raw as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string')
  const names = new Set([...allNames.map((n) => n.toLowerCase()), ...built.map((b) => b.service.name)])
  const order: string[] = []
  const edges = new Map<string, Entry[]>()
  rawServices.forEach((raw, i) => {
    const written = (raw as { name?: unknown } | null)?.name
    const name = typeof written === 'string' ? written.toLowerCase() : undefined
    if (name === undefined || edges.has(name)) return
    const path = [...base, i, 'dependsOn']
    const entries = entriesOf(valueAt(raw, ['dependsOn']), path).map((e) => ({ ...e, name: e.name.toLowerCase() }))
    const report = (entry: Entry, message: string): void => {
      if (entry.inList) problems.at(entry.path, `service "${name}": ${message}`)
      else problems.atKey(entry.path, `service "${name}": ${message}`)
    }
    const seen = new Set<string>()
    const next: Entry[] = []
    for (const entry of entries) {
      if (seen.has(entry.name)) {
        report(entry, `"${entry.name}" is listed twice in "dependsOn"`)
        continue
      }
      seen.add(entry.name)
      if (entry.name === name) {
        report(entry, 'a service cannot depend on itself')
        continue
      }
      if (!names.has(entry.name)) {
        const guess = closestName(entry.name, allNames)
        report(entry, `dependsOn names "${entry.name}", which is not a service of this file${guess ? ` (did you mean "${guess}"?)` : ''}`)
        continue
      }
      next.push(entry)
      const target = builtByName.get(entry.name)
      const why = entry.condition === 'completed' && target ? neverCompletes(target) : undefined
      if (why) report(entry, `waits for "${entry.name}" to complete, but ${why}`)
    }
    order.push(name)
    edges.set(name, next)
  })
  const names_ = new Map([...edges].map(([name, entries]) => [name, entries.map((e) => e.name)]))
  for (const cycle of findCycles(order, names_)) {
    const [first, second] = cycle
    const entry = edges.get(first!)!.find((e) => e.name === second)!
    const message = `service "${first}": dependsOn makes a cycle, so none of them could start: ${cycle.join(' -> ')}`
    if (entry.inList) problems.at(entry.path, message)
    else problems.atKey(entry.path, message)
  }
}

/** the entries whose name has the right shape; the schema reports the others */
function entriesOf(raw: unknown, path: Path): Entry[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((name: unknown, j) => (typeof name === 'string' && name !== '' ? [{ name, path: [...path, j], inList: true, condition: undefined }] : []))
  }
  if (raw === null || typeof raw !== 'object') return []
  return Object.entries(raw).map(([name, value]) => ({ name, path: [...path, name], inList: false, condition: (value as { condition?: unknown } | null)?.condition }))
}

function neverCompletes(service: Service): string | undefined {
  if (service.kind === 'external') return 'it is external: Micronetes does not run it'
  if (service.restart === 'always') return 'it has "restart: always", so it is started again whenever it exits'
  if (service.replicas === 0) return 'it has 0 replicas'
  return undefined
}

/**
 * Each cycle once, as the names along it with the first repeated at the end, starting from the
 * service that comes first in the file.
 */
export function findCycles(order: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = []
  const done = new Set<string>()
  const onPath: string[] = []
  const visiting = new Set<string>()
  const visit = (name: string): void => {
    if (done.has(name)) return
    if (visiting.has(name)) {
      const cycle = onPath.slice(onPath.indexOf(name))
      const start = cycle.reduce((best, n) => (order.indexOf(n) < order.indexOf(best) ? n : best))
      const at = cycle.indexOf(start)
      const rotated = [...cycle.slice(at), ...cycle.slice(0, at)]
      cycles.push([...rotated, start])
      return
    }
    visiting.add(name)
    onPath.push(name)
    for (const next of edges.get(name) ?? []) visit(next)
    onPath.pop()
    visiting.delete(name)
    done.add(name)
  }
  for (const name of order) visit(name)
  return cycles
}
