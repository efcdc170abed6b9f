// Turns zod's issues about the shape of app.yaml into problems a person can act on: which
// service, which field, what it must be, what it was, and where in the file it is.
import type { core } from 'zod'
import { knownFields, MAX_REPLICAS_IN_FILE, SERVICE_NAME_RULE } from '../../../src-shared/app-schema'
import { BINDING_NAME_RULE, tyeApplicationFields, tyeBindingFields, tyeServiceFields } from '../../../src-shared/tye-schema'
import { closestName } from './did-you-mean'
import { tyeFeatureMessage } from './tye-unsupported'
import type { Kind, Form } from './where'
import { describeValue, valueAt, where } from './where'
import type { Path, Position, YamlSource } from './yaml-source'

export interface LocatedProblem {
  position: Position
  message: string
}

const text = 'a non-empty string'
const scalar = 'a string, a number or true/false'
const envForms = 'a map of KEY: value, or a list of {name, value} or KEY=value'
const dnsLabel = `a DNS label (${SERVICE_NAME_RULE})`
const stringList = 'a string or a list of strings'

/** what each field must be, by what holds it ("service.replicas") or any field of it ("envMap.*") */
const EXPECTED: Record<string, string> = {
  'root.*': 'a list of services, or a map with "services"',
  'application.name': text,
  'application.services': 'a list of services',
  'application.dashboardPort': 'a port number from 1 to 65535',
  'application.network': text,
  'application.registry': 'a string, or a map with "hostname"',
  'application.namespace': text,
  'application.solution': text,
  'application.ingress': 'a list of ingresses { name, bindings, rules }',
  'application.extensions': 'a list of extensions { name: dapr, zipkin, elastic or seq, ... }',
  'services.*': 'a map with a "name" and what to run',
  'service.name': dnsLabel,
  'service.projectFile': text,
  'service.configuration': envForms,
  'service.env_file': stringList,
  'service.include': text,
  'service.azureFunction': text,
  'service.pathToFunc': text,
  'service.buildProperties': 'a list of { name, value }',
  'service.dockerFile': text,
  'service.dockerFileContext': text,
  'service.dockerFileArgs': 'a map ARG: value, or a list of ARG: value maps or "ARG=value"',
  'service.tags': 'a list of strings',
  'service.namespace': text,
  'service.project': text,
  'service.executable': text,
  'service.dockerImage': text,
  'service.image': text,
  'service.workingDirectory': text,
  'service.args': 'a string or a list of strings',
  'args.*': 'a string',
  'service.replicas': `a whole number from 0 to ${MAX_REPLICAS_IN_FILE}`,
  'service.external': 'true or false',
  'service.env': envForms,
  'service.environment': envForms,
  'service.bindings': 'a list of bindings',
  'service.restart': 'one of on-failure, always, never, or { policy, maxRestarts }',
  'service.stopGracePeriod': 'a number of seconds up to 3600, or a duration like "5s" or "500ms"',
  'service.volumes': 'a list of volumes',
  'bindings.*': 'a map such as { port: 8080 }',
  'binding.name': BINDING_NAME_RULE,
  'binding.routes': 'a list of paths starting with "/"',
  'binding.internalPort': 'a port number from 1 to 65535',
  'binding.autoAssignPort': 'true or false',
  'binding.port': 'a port number from 1 to 65535',
  'binding.containerPort': 'a port number from 1 to 65535',
  'binding.host': text,
  'binding.protocol': 'a lowercase URL scheme such as http, https or tcp',
  'binding.connectionString': 'a string',
  'volumes.*': 'a map { source or name, target, readOnly }',
  'volume.source': text,
  'volume.name': text,
  'volume.target': text,
  'volume.readOnly': 'true or false',
  'service.readiness': 'a probe such as { http: { path: /health } }',
  'service.liveness': 'a probe such as { http: { path: /health } }',
  'service.dependsOn': 'a list of service names, or a map name: { condition: started | ready | completed }',
  'service.autoStart': 'true or false',
  'service.envFile': 'a path, or a list of paths',
  'service.build': 'a command: a string (split like args) or a list of strings; or false (Tye: a .NET project run as built)',
  'service.watch': 'a path or glob, a list of them, or { paths, ignore, debounce, action, cascade }',
  'watch.paths': 'a path or glob, or a list of them',
  'watch.ignore': 'a list of globs',
  'watch.debounce': 'a number of seconds, or a duration like "300ms"',
  'watch.action': 'restart or rebuild',
  'watch.cascade': 'true or false',
  'probe.http': 'a map such as { path: /health }',
  'probe.tcp': 'a map such as { binding: api }, or {}',
  'probe.exec': 'a map such as { command: "pg_isready" }',
  'probe.log': 'a regular expression, such as "listening on"',
  'probe.initialDelay': 'a number of seconds, or a duration like "2s" or "500ms"',
  'probe.period': 'a number of seconds, or a duration like "2s" or "500ms"',
  'probe.timeout': 'a number of seconds, or a duration like "2s" or "500ms"',
  'probe.successThreshold': 'a whole number from 1 to 100',
  'probe.failureThreshold': 'a whole number from 1 to 100',
  'httpProbe.path': 'a path starting with "/"',
  'httpProbe.port': 'a port number from 1 to 65535',
  'httpProbe.scheme': 'http or https',
  'httpProbe.protocol': 'http or https',
  'httpProbe.headers': 'a map Name: value, or a list of { name, value }',
  'tcpProbe.port': 'a port number from 1 to 65535',
  'execProbe.command': 'a string or a list of strings',
  'envMap.*': scalar,
  'envList.*': '{ name, value } or "KEY=value"',
  'envEntry.name': text,
  'envEntry.value': scalar,
}

const KNOWN: Partial<Record<Kind, readonly string[]>> = {
  application: knownFields.application,
  service: knownFields.service,
  binding: knownFields.binding,
  volume: knownFields.volume,
  envEntry: knownFields.envEntry,
  probe: knownFields.probe,
  httpProbe: knownFields.httpProbe,
  tcpProbe: knownFields.tcpProbe,
  execProbe: knownFields.execProbe,
  watch: knownFields.watch,
}

const TYE_FIELDS = new Set([...Object.keys(tyeServiceFields), ...Object.keys(tyeBindingFields), ...Object.keys(tyeApplicationFields)])

const NOUN: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
}

export class SchemaProblems {
  readonly problems: LocatedProblem[] = []

  constructor(
    private readonly form: Form,
    private readonly root: unknown,
    private readonly source: YamlSource,
  ) {}

  add(issues: readonly core.$ZodIssue[], base: Path = []): void {
    for (const issue of issues) this.addIssue(issue, [...base, ...(issue.path as (string | number)[])])
  }

  private addIssue(issue: core.$ZodIssue, path: Path): void {
    const w = where(path, this.form, this.root)
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) this.unknownField(path, key, w.prefix, KNOWN[w.self], tyeFeatureMessage(w.self, key))
      return
    }
    if (issue.code === 'invalid_union') {
      // the branch that got past the type of the value itself says what is wrong inside it
      const inner = issue.errors.find((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0))
      if (inner && inner.length > 0) {
        this.add(inner, path)
        return
      }
    }
    const position = this.source.valueAt(path)
    const name = fieldName(path, w.parent, w.prefix)
    const expected = EXPECTED[`${w.parent}.${String(w.field)}`] ?? EXPECTED[`${w.parent}.*`] ?? fallbackExpectation(issue)
    const actual = valueAt(this.root, path)
    if (issue.code === 'too_small' && issue.origin === 'array') {
      this.problems.push({ position, message: `${w.prefix}${name} must list at least one ${itemNoun(w.field)}` })
    } else if (issue.code === 'too_small' && issue.origin === 'string') {
      this.problems.push({ position, message: `${w.prefix}${name} must not be empty` })
    } else if (actual === undefined) {
      this.problems.push({ position, message: `${w.prefix}${name} is required` })
    } else if (actual === null) {
      this.problems.push({ position, message: `${w.prefix}${name} is empty; it must be ${expected}` })
    } else {
      const guess = issue.code === 'invalid_value' && typeof actual === 'string' ? closestName(actual, issue.values.map(String)) : undefined
      const hint = guess ? ` (did you mean "${guess}"?)` : ''
      this.problems.push({ position, message: `${w.prefix}${name} must be ${expected}, not ${describeValue(actual)}${hint}` })
    }
  }

  private unknownField(path: Path, key: string, prefix: string, known: readonly string[] | undefined, tyeFeature: string | undefined): void {
    let message = tyeFeature === undefined ? `${prefix}unknown field "${key}"` : prefix + tyeFeature
    if (known && tyeFeature === undefined) {
      const guess = closestName(key, known)
      // Tye's own spellings count for "did you mean", but the list shows Micronetes' fields
      message += guess ? ` (did you mean "${guess}"?)` : `; known fields: ${known.filter((k) => !TYE_FIELDS.has(k)).join(', ')}`
    }
    this.problems.push({ position: this.source.keyAt([...path, key]), message })
  }
}

function fieldName(path: Path, parent: Kind, prefix: string): string {
  const field = path[path.length - 1]
  if (field === undefined) return 'the file'
  if (parent === 'services') return 'this service'
  if (typeof field === 'number') return `item ${field + 1} of "${String(path[path.length - 2])}"`
  return prefix === '' && parent === 'other' ? `"${path.join('.')}"` : `"${field}"`
}

function itemNoun(field: string | number | undefined): string {
  switch (field) {
    case undefined:
    case 'services': return 'service'
    case 'bindings': return 'binding'
    case 'volumes': return 'volume'
    default: return 'item'
  }
}

function fallbackExpectation(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': return NOUN[issue.expected] ?? issue.expected
    case 'invalid_value': return `one of ${issue.values.map(String).join(', ')}`
    case 'too_big': return `at most ${String(issue.maximum)}`
    case 'too_small': return `at least ${String(issue.minimum)}`
    default: return issue.message.charAt(0).toLowerCase() + issue.message.slice(1)
  }
}
