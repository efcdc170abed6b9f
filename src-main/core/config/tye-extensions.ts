// Tye's `extensions`, made into services of the application: zipkin, elastic and seq run as
// the containers Tye runs; dapr gives each project and executable a daprd sidecar with as many
// replicas as its app. An extension that cannot run on this machine fails as its own services
// (a missing daprd, an image that cannot be pulled), never the rest of the application.
import type { Binding, DaprSidecar, Extension, Service } from '../../../src-shared/app-model'
import { DEFAULT_STOP_GRACE_PERIOD_MS } from '../../../src-shared/app-model'
import type { RawExtension } from '../../../src-shared/tye-schema'
import type { ProblemList } from './problem-list'

type Report = (rest: (string | number)[], message: string) => void

const CONTAINERS: Record<'zipkin' | 'elastic' | 'seq', { image: string; bindings: Binding[]; env?: { name: string; value: string }[] }> = {
  zipkin: { image: 'openzipkin/zipkin', bindings: [{ port: 9411, containerPort: 9411, host: 'localhost', protocol: 'http' }] },
  elastic: {
    image: 'sebp/elk',
    bindings: [
      { name: 'kibana', port: 5601, containerPort: 5601, host: 'localhost', protocol: 'http' },
      { name: 'elastic', port: 9200, containerPort: 9200, host: 'localhost', protocol: 'http' },
    ],
  },
  seq: { image: 'datalust/seq', bindings: [{ port: 5341, containerPort: 80, host: 'localhost', protocol: 'http' }], env: [{ name: 'ACCEPT_EULA', value: 'Y' }] },
}

/** dapr settings Tye passes on to daprd, and the flag each becomes */
const DAPR_FLAGS: Record<string, string> = {
  'app-max-concurrency': '--app-max-concurrency',
  'app-protocol': '--app-protocol',
  'app-ssl': '--app-ssl',
  'enable-profiling': '--enable-profiling',
  'http-max-request-size': '--dapr-http-max-request-size',
  'log-level': '--log-level',
  'profile-port': '--profile-port',
}
const DAPR_SERVICE_ONLY = new Set(['app-id', 'enabled', 'http-port', 'grpc-port', 'metrics-port'])
const DAPR_OTHER = new Set(['name', 'services', 'components-path', 'config', 'placement-port'])

export function expandExtensions(raw: readonly (RawExtension | null | undefined)[], services: readonly Service[], directory: string, problems: ProblemList): { extensions: Extension[]; services: Service[] } {
  const added: Service[] = []
  const extensions: Extension[] = []
  const names = new Set(services.map((s) => s.name))
  raw.forEach((item, i) => {
    if (!item) return
    const at: Report = (rest, message) => problems.at(['extensions', i, ...rest], `extension "${item.name}": ${message}`)
    extensions.push({ name: item.name })
    if (item.name === 'dapr') {
      added.push(...daprSidecars(item as Record<string, unknown>, services, directory, names, at))
      return
    }
    const container = CONTAINERS[item.name]
    // a service of that name in the file is the user's own: it wins, as in Tye
    if (names.has(item.name)) return
    names.add(item.name)
    added.push({
      name: item.name,
      kind: 'container',
      image: container.image,
      args: [],
      replicas: 1,
      env: container.env ?? [],
      bindings: container.bindings.map((b) => ({ ...b })),
      ...addedServiceDefaults(),
    })
  })
  return { extensions, services: added }
}

function daprSidecars(config: Record<string, unknown>, services: readonly Service[], directory: string, names: Set<string>, at: Report): Service[] {
  for (const key of Object.keys(config)) {
    if (!DAPR_FLAGS[key] && !DAPR_OTHER.has(key)) at([key], `"${key}" is not a dapr setting Micronetes knows${DAPR_SERVICE_ONLY.has(key) ? ' at this level: set it for one service under "services"' : ''}`)
  }
  const perService = (config.services ?? {}) as Record<string, Record<string, unknown> | null>
  if (typeof perService !== 'object' || Array.isArray(perService)) at(['services'], '"services" must be a map of service name to its dapr settings')
  const byName = new Map(Object.entries(typeof perService === 'object' && !Array.isArray(perService) ? perService : {}).map(([name, value]) => [name.toLowerCase(), { name, value: value ?? {} }]))
  for (const { name } of byName.values()) if (!services.some((s) => s.name === name.toLowerCase())) at(['services', name], `"${name}" is not a service of this application`)

  const sidecars: Service[] = []
  for (const service of services) {
    const own = byName.get(service.name)?.value ?? {}
    const enabled = own.enabled ?? (service.kind === 'project' || service.kind === 'executable')
    if (enabled !== true || service.kind === 'external' || service.daprSidecar) continue
    const name = `${service.name}-dapr`
    if (names.has(name)) continue
    names.add(name)
    const setting = (key: string): unknown => own[key] ?? config[key]
    const flags: string[] = []
    for (const [key, flag] of Object.entries(DAPR_FLAGS)) {
      const value = setting(key)
      if (value === undefined || value === false) continue
      flags.push(flag, ...(value === true ? [] : [String(value)]))
    }
    const componentsPath = setting('components-path')
    const components = typeof componentsPath === 'string' ? `${directory}/${componentsPath}` : undefined
    if (components) flags.push('--resources-path', components)
    const configName = setting('config')
    if (typeof configName === 'string') flags.push('--config', `${components ?? `${directory}/components`}/${configName}.yaml`)
    const placement = setting('placement-port')
    if (placement !== undefined) flags.push('--placement-host-address', `localhost:${String(placement)}`)
    const port = (key: string): { port?: number } => (typeof own[key] === 'number' ? { port: own[key] } : {})
    const sidecar: DaprSidecar = { app: service.name, appId: typeof own['app-id'] === 'string' ? own['app-id'] : service.name, flags }
    sidecars.push({
      name,
      kind: 'executable',
      executable: 'daprd',
      args: [],
      workingDirectory: directory,
      replicas: service.replicas,
      env: [],
      bindings: [
        { name: 'http', ...port('http-port'), host: 'localhost', protocol: 'http' },
        { name: 'grpc', ...port('grpc-port'), host: 'localhost', protocol: 'grpc' },
        { name: 'metrics', ...port('metrics-port'), host: 'localhost', protocol: 'http' },
      ],
      ...addedServiceDefaults(),
      daprSidecar: sidecar,
    })
  }
  return sidecars
}

/** what a service an extension adds takes as a service written without those fields would */
function addedServiceDefaults(): Pick<Service, 'stopGracePeriodMs' | 'volumes' | 'restart' | 'dependsOn' | 'autoStart' | 'envFiles'> {
  return { stopGracePeriodMs: DEFAULT_STOP_GRACE_PERIOD_MS, volumes: [], restart: 'on-failure', dependsOn: [], autoStart: true, envFiles: [] }
}
