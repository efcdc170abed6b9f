// The health and start-order fields of one service made into the model: probes with their
// target port resolved against the service's bindings and every default filled, dependsOn as a
// list of { service, condition }, restart's short and long forms, autoStart.
import { durationMs } from './duration'
import type { Binding, Dependency, DependencyCondition, EnvVar, Probe, ProbeCheck, RestartPolicy, ServiceKind } from '../../../src-shared/app-model'
import type { RawDependsOn, RawHttpProbe, RawProbe, RawRestart } from '../../../src-shared/health-schema'
import { splitArgs } from './split-args'
import type { Path } from './yaml-source'

export const PROBE_DEFAULTS = {
  initialDelayMs: 0,
  periodMs: 1000,
  timeoutMs: 1000,
  successThreshold: 1,
  failureThreshold: 3,
} as const

/** a list of names, or a map entry without a condition, waits for this */
export const DEFAULT_CONDITION: DependencyCondition = 'ready'

/** a probe checked more often than this would only load the machine */
const MIN_PERIOD_MS = 100

type Report = (rest: Path, message: string) => void

export interface HealthInput {
  kind: ServiceKind
  /** the raw bindings, as written (port may be absent) */
  bindings: readonly Pick<Binding, 'name' | 'port'>[]
  readiness?: RawProbe | undefined
  liveness?: RawProbe | undefined
  dependsOn?: RawDependsOn | undefined
  restart?: RawRestart | undefined
  autoStart?: boolean | undefined
}

export interface Health {
  readiness?: Probe
  liveness?: Probe
  dependsOn: Dependency[]
  restart: RestartPolicy
  maxRestarts?: number
  autoStart: boolean
}

export function buildHealth(raw: HealthInput, at: Report, atKey: Report): Health {
  const health: Health = {
    dependsOn: buildDependsOn(raw.dependsOn),
    restart: typeof raw.restart === 'string' ? raw.restart : (raw.restart?.policy ?? 'on-failure'),
    autoStart: raw.autoStart ?? true,
  }
  if (typeof raw.restart === 'object' && raw.restart.maxRestarts !== undefined) health.maxRestarts = raw.restart.maxRestarts
  for (const field of ['readiness', 'liveness'] as const) {
    const probe = raw[field]
    if (probe === undefined) continue
    if (raw.kind === 'external') {
      atKey([field], `an external service is not run, so it takes no "${field}"`)
      continue
    }
    const built = buildProbe(probe, field, raw.bindings, (rest, m) => at([field, ...rest], m), (rest, m) => atKey([field, ...rest], m))
    if (built) health[field] = built
  }
  return health
}

const CHECKS = ['http', 'tcp', 'exec', 'log'] as const

function buildProbe(raw: RawProbe, field: 'readiness' | 'liveness', bindings: HealthInput['bindings'], at: Report, atKey: Report): Probe | undefined {
  const given = Object.keys(raw).filter((k): k is (typeof CHECKS)[number] => (CHECKS as readonly string[]).includes(k) && raw[k as keyof RawProbe] !== undefined)
  if (given.length === 0) {
    at([], `"${field}" needs one check: http, tcp, exec or log`)
    return undefined
  }
  if (given.length > 1) {
    atKey([given[1]!], `"${field}" has both "${given[0]}" and "${given[1]}"; give exactly one`)
    return undefined
  }
  const timing = {
    initialDelayMs: durationMs(raw.initialDelay) ?? PROBE_DEFAULTS.initialDelayMs,
    periodMs: durationMs(raw.period) ?? PROBE_DEFAULTS.periodMs,
    timeoutMs: durationMs(raw.timeout) ?? PROBE_DEFAULTS.timeoutMs,
    successThreshold: raw.successThreshold ?? PROBE_DEFAULTS.successThreshold,
    failureThreshold: raw.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
  }
  let ok = true
  if (timing.periodMs < MIN_PERIOD_MS) {
    at(['period'], `"period" must be at least ${MIN_PERIOD_MS}ms`)
    ok = false
  }
  if (timing.timeoutMs <= 0) {
    at(['timeout'], '"timeout" must be more than 0')
    ok = false
  }
  const check = buildCheck(raw, given[0]!, field, bindings, at, atKey)
  return check && ok ? { check, ...timing } : undefined
}

function buildCheck(raw: RawProbe, which: (typeof CHECKS)[number], field: string, bindings: HealthInput['bindings'], at: Report, atKey: Report): ProbeCheck | undefined {
  switch (which) {
    case 'http': {
      const http = raw.http!
      if (http.scheme !== undefined && http.protocol !== undefined) {
        atKey(['http', 'protocol'], 'use "scheme" or its alias "protocol", not both')
        return undefined
      }
      const target = probeTarget(http, bindings, (rest, m) => at(['http', ...rest], m), (rest, m) => atKey(['http', ...rest], m))
      if (!target) return undefined
      return { kind: 'http', path: http.path ?? '/', ...target, scheme: http.scheme ?? http.protocol ?? 'http', headers: headersOf(http.headers) }
    }
    case 'tcp': {
      const target = probeTarget(raw.tcp!, bindings, (rest, m) => at(['tcp', ...rest], m), (rest, m) => atKey(['tcp', ...rest], m))
      return target ? { kind: 'tcp', ...target } : undefined
    }
    case 'exec': {
      const command = raw.exec!.command
      if (Array.isArray(command)) return { kind: 'exec', command }
      const split = splitArgs(command)
      if (!split.ok) {
        at(['exec', 'command'], `"command" cannot be split into words: ${split.message}`)
        return undefined
      }
      if (split.args.length === 0) {
        at(['exec', 'command'], '"command" must name a program')
        return undefined
      }
      return { kind: 'exec', command: split.args }
    }
    case 'log': {
      if (field === 'liveness') {
        atKey(['log'], '"log" is for readiness only: a line once seen cannot tell that a replica is still alive')
        return undefined
      }
      try {
        new RegExp(raw.log!)
      } catch (err) {
        at(['log'], `"log" is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`)
        return undefined
      }
      return { kind: 'log', pattern: raw.log! }
    }
  }
}

/**
 * Which port a probe checks: a binding by name, a binding by its port (Tye writes the
 * binding's port), the default binding, or else a fixed port of its own.
 */
function probeTarget(raw: Pick<RawHttpProbe, 'binding' | 'port'>, bindings: HealthInput['bindings'], at: Report, atKey: Report): { binding?: string; port?: number } | undefined {
  if (raw.binding !== undefined && raw.port !== undefined) {
    atKey(['port'], 'give "binding" or "port", not both')
    return undefined
  }
  if (raw.binding !== undefined) {
    if (!bindings.some((b) => b.name === raw.binding)) {
      const names = bindings.map((b) => b.name).filter((n) => n !== undefined)
      at(['binding'], `there is no binding named "${raw.binding}"${names.length > 0 ? `; the bindings are ${names.map((n) => `"${n}"`).join(', ')}` : ''}`)
      return undefined
    }
    return { binding: raw.binding }
  }
  if (raw.port !== undefined) {
    const bound = bindings.find((b) => b.port === raw.port)
    if (!bound) return { port: raw.port }
    return bound.name === undefined ? {} : { binding: bound.name }
  }
  if (bindings.some((b) => b.name === undefined)) return {}
  if (bindings.length === 0) at([], 'the service has no bindings: give the "port" to check')
  else atKey([], `the service has no default (unnamed) binding: give "binding" (${bindings.map((b) => `"${b.name}"`).join(', ')}) or "port"`)
  return undefined
}

function headersOf(raw: RawHttpProbe['headers']): EnvVar[] {
  if (raw === undefined) return []
  if (Array.isArray(raw)) return raw.map((h) => ({ name: h.name, value: String(h.value) }))
  return Object.entries(raw).map(([name, value]) => ({ name, value: String(value) }))
}

function buildDependsOn(raw: RawDependsOn | undefined): Dependency[] {
  if (raw === undefined) return []
  // names listed twice are reported by check-dependencies.ts, which sees every service
  const list: Dependency[] = []
  // service names are read without case, as Tye reads them
  if (Array.isArray(raw)) return [...new Set(raw.map((name) => name.toLowerCase()))].map((name) => ({ service: name, condition: DEFAULT_CONDITION }))
  for (const [name, value] of Object.entries(raw)) list.push({ service: name.toLowerCase(), condition: value?.condition ?? DEFAULT_CONDITION })
  return list
}

