// How the services of an application connect, for the dependency view: the dependsOn edges
// app.yaml declares, and discovery links. Every replica receives every service's discovery
// variables, so a link is drawn only where a service visibly uses another's: its own env or
// arguments name the other's variables or configuration keys.
import { configName, kubernetesName } from '../src-shared/discovery-names'
import type { ServiceStatus } from '../src-shared/status'

export interface ServiceLink {
  from: string
  to: string
  kind: 'dependsOn' | 'discovery'
}

/** the names Micronetes gives a service's address: SERVICE__WEB__*, WEB_SERVICE_*, CONNECTIONSTRINGS__WEB, service:web:*, connectionstrings:web */
function mentions(text: string, service: string): boolean {
  const name = escape(configName(service))
  const kube = escape(kubernetesName(service))
  // a name ends where a key or binding begins (__ or :), or where no name character follows
  const end = '(?=__|:|[^A-Z0-9_-]|$)'
  return new RegExp(`SERVICE__${name}__|(^|[^A-Z0-9_])${kube}_SERVICE_|CONNECTIONSTRINGS__${name}${end}|SERVICE:${name}:|CONNECTIONSTRINGS:${name}${end}`).test(text.toUpperCase())
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function serviceLinks(services: ServiceStatus[]): ServiceLink[] {
  const links: ServiceLink[] = []
  const names = new Set(services.map((s) => s.name))
  for (const s of services) {
    for (const { service: target } of s.dependsOn ?? []) if (names.has(target)) links.push({ from: s.name, to: target, kind: 'dependsOn' })
    const texts = [...(s.env ?? []).map((e) => `${e.name}=${e.value}`), ...s.args]
    for (const other of services) {
      if (other.name === s.name || other.bindings.length === 0) continue
      if (links.some((l) => l.from === s.name && l.to === other.name)) continue
      if (texts.some((text) => mentions(text, other.name))) links.push({ from: s.name, to: other.name, kind: 'discovery' })
    }
  }
  return links
}

/** columns by depth: a service stands right of everything it depends on or uses */
export function layers(services: ServiceStatus[], links: ServiceLink[]): string[][] {
  const depth = new Map<string, number>()
  const deps = new Map(services.map((s) => [s.name, links.filter((l) => l.from === s.name).map((l) => l.to)]))
  const visit = (name: string, path: Set<string>): number => {
    const known = depth.get(name)
    if (known !== undefined) return known
    // a cycle (the loader refuses them; the view must not hang on one either)
    if (path.has(name)) return 0
    path.add(name)
    const d = Math.max(-1, ...(deps.get(name) ?? []).map((t) => visit(t, path))) + 1
    path.delete(name)
    depth.set(name, d)
    return d
  }
  const out: string[][] = []
  for (const s of services) {
    const d = visit(s.name, new Set())
    ;(out[d] ??= []).push(s.name)
  }
  return out.filter((column) => column !== undefined)
}
