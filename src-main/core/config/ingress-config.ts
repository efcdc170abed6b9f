// Tye's `ingress` list, checked and made into the model: every rule names a service of the
// application, a name is no service's, ports clash with nothing, and paths and hosts are put
// in the form the router compares (lower case host, no trailing "/").
import type { Ingress, IngressRule } from '../../../src-shared/app-model'
import type { RawIngress } from '../../../src-shared/tye-schema'
import { closestName } from './did-you-mean'
import type { ProblemList } from './problem-list'

export function buildIngresses(raw: readonly (RawIngress | null | undefined)[], serviceNames: readonly string[], problems: ProblemList): Ingress[] {
  const ingresses: Ingress[] = []
  const names = new Set(serviceNames)
  raw.forEach((item, i) => {
    if (!item) return
    const at = (rest: (string | number)[], message: string) => problems.at(['ingress', i, ...rest], `ingress "${item.name}": ${message}`)
    const name = item.name.toLowerCase()
    if (names.has(name)) at(['name'], `the name "${item.name}" is also a service's; an ingress is shown beside the services, so give it a name of its own`)
    names.add(name)
    const rules: IngressRule[] = []
    for (const [j, rule] of (item.rules ?? []).entries()) {
      const service = rule.service.toLowerCase()
      if (!serviceNames.includes(service)) {
        const guess = closestName(service, [...serviceNames])
        at(['rules', j, 'service'], `rule ${j + 1} routes to "${rule.service}", which is not a service of this application${guess ? ` (did you mean "${guess}"?)` : ''}`)
      }
      const path = rule.path === undefined ? undefined : rule.path.length > 1 ? rule.path.replace(/\/+$/, '') || '/' : rule.path
      rules.push({ service, ...(path !== undefined ? { path } : {}), ...(rule.host !== undefined ? { host: rule.host.toLowerCase() } : {}), preservePath: rule.preservePath ?? false })
    }
    const bindings = (item.bindings ?? []).map((b, j) => {
      if (b.protocol === 'https') at(['bindings', j, 'protocol'], 'an https ingress is a Project Tye feature that Micronetes does not support yet; use http (see docs/coming-from-tye.md)')
      return { ...(b.name !== undefined ? { name: b.name } : {}), ...(b.port !== undefined ? { port: b.port } : {}), protocol: 'http' as const, ip: b.ip === undefined || b.ip === 'localhost' ? '127.0.0.1' : b.ip }
    })
    // Tye gives an ingress without bindings one http port of its choosing
    ingresses.push({ name, bindings: bindings.length > 0 ? bindings : [{ protocol: 'http', ip: '127.0.0.1' }], rules })
  })
  return ingresses
}
