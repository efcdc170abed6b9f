// app.yaml in, the normalized Application out, or every problem in the file at once, each
// with the line and column a person must edit.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { parse as parseScalar } from 'yaml'
import type { Application, Ingress, Service } from '../../../src-shared/app-model'
import { applicationMapSchema, EXTENSION_FIELD, serviceSchema, servicesSchema, type RawApplicationMap } from '../../../src-shared/app-schema'
import type { ConfigProblem } from '../../../src-shared/problems'
import type { UsableService } from './build-service'
import { buildService } from './build-service'
import type { BuiltService } from './check-application'
import { checkBindingPorts, checkDiscoveryNames, checkIngressPorts, checkServiceNames } from './check-application'
import { readEnvFile, withFileVariables } from './env-files'
import type { EnvVar } from '../../../src-shared/app-model'
import { interpolate } from './interpolate'
import { localPath } from './tye-fields'
import { checkDependencies } from './check-dependencies'
import { buildIngresses } from './ingress-config'
import { expandExtensions } from './tye-extensions'
import { INCLUDE_ENTRY_FIELDS, isIncludeEntry, joinIncluded, readIncluded, type IncludedResult } from './include'
import { ProblemList, toConfigProblems } from './problem-list'
import { MAX_APP_FILE_BYTES, readAppFile, tooLarge } from './read-app-file'
import { SchemaProblems } from './schema-problems'
import type { Form } from './where'
import { rawServices, servicesPath, where } from './where'
import { buildCommand, watchOf } from './watch-fields'
import type { Path, YamlSource } from './yaml-source'
import { parseYaml } from './yaml-source'

/** warnings (severity 'warning') come with either answer: they never make it fail */
export type LoadResult = { ok: true; application: Application; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] }

export interface LoadOptions {
  /** what ${VAR} reads first (then .env beside the file); default process.env */
  environment?: Record<string, string | undefined>
}

export async function loadApplication(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readAppFile(path)
  if (!read.ok) return fileProblem(path, read.message)
  return parseApplication(read.text, path, options)
}

/** path: the file as the user named it (problems quote it so); relative paths resolve from its folder */
export function parseApplication(text: string, path: string, options: LoadOptions = {}): LoadResult {
  const result = parseWithIncludes(text, path, [], options)
  if ('entryProblem' in result) throw new Error('an include problem belongs to the file that includes')
  return result
}

/** chain: the absolute files that include this one, outermost first */
function parseWithIncludes(text: string, path: string, chain: readonly string[], options: LoadOptions): LoadResult | { ok: false; entryProblem: string } {
  if (text.length > MAX_APP_FILE_BYTES || Buffer.byteLength(text) > MAX_APP_FILE_BYTES) return fileProblem(path, tooLarge())
  const parsed = parseYaml(text)
  if (!parsed.ok) return { ok: false, problems: toConfigProblems(parsed.problems, path), warnings: [] }
  const { value: root, source } = parsed
  const problems = new ProblemList(source)

  const form: Form | undefined = Array.isArray(root) ? 'list' : isPlainMap(root) ? 'map' : undefined
  if (form === 'map') withoutExtensionFields(root as Record<string, unknown>)
  if (form === undefined) {
    const what = root === null || root === undefined ? 'the file is empty' : 'the file holds a single value'
    problems.at([], `${what}: app.yaml must be a list of services, or a map with "services"`)
    return { ok: false, problems: problems.toConfigProblems(path), warnings: [] }
  }

  // problems in other files (.env, env files), each at its own file:line
  const otherFiles: ConfigProblem[] = []
  const file = resolve(path)
  const directory = dirname(file)
  const shownDirectory = dirname(path)
  const dotenv = readEnvFile(join(directory, '.env'), join(shownDirectory, '.env'))
  const fromDotenv = new Map<string, string>()
  if (dotenv.ok) dotenv.vars.forEach((v) => fromDotenv.set(v.name, v.value))
  else if ('problems' in dotenv) otherFiles.push(...dotenv.problems)
  const environment = options.environment ?? process.env
  const notFilled = interpolateValues(root, form, source, problems, (name) => environment[name] ?? fromDotenv.get(name))

  const shape = (form === 'list' ? servicesSchema : applicationMapSchema).safeParse(root)
  if (!shape.success) {
    const schemaProblems = new SchemaProblems(form, root, source)
    schemaProblems.add(shape.error.issues)
    // a value whose variable could not be filled is reported once, for the variable
    problems.addAll(schemaProblems.problems.filter((p) => !notFilled.has(`${p.position.line}:${p.position.col}`)))
  }

  // the services of the right shape still get every other check, so one pass shows everything
  const base = servicesPath(form)
  const services = rawServices(form, root)
  // an include entry names a file, not a service: its name is only a label
  checkServiceNames(services.map((raw) => (isIncludeEntry(raw) ? null : raw)), base, problems)
  const built: BuiltService[] = []
  const included: { services: Service[]; path: (string | number)[] }[] = []
  const includes: string[] = []
  // Tye merges the ingresses of included files; one whose name is already taken is kept as first defined
  const includedIngress: Ingress[] = []
  const foreign: ConfigProblem[] = []
  const foreignWarnings: ConfigProblem[] = []
  services.forEach((raw, i) => {
    if (isIncludeEntry(raw)) {
      const extra = Object.keys(raw).filter((key) => !INCLUDE_ENTRY_FIELDS.has(key))
      for (const key of extra) problems.atKey([...base, i, key], `an entry with "include" brings in another file's services; it takes no "${key}"`)
      const result: IncludedResult = readIncluded(raw, path, resolve(path), chain, (t, named, c) => {
        const inner = parseWithIncludes(t, named, c, options)
        if ('warnings' in inner) foreignWarnings.push(...inner.warnings)
        return inner.ok ? { ok: true, services: inner.application.services, includes: [inner.application.source, ...(inner.application.includes ?? [])], ingress: inner.application.ingress ?? [] } : inner
      })
      if (result.ok) {
        included.push({ services: result.services, path: [...base, i, 'include'] })
        includes.push(...result.includes)
        includedIngress.push(...result.ingress)
      } else if ('entryProblem' in result) {
        problems.at([...base, i, 'include'], result.entryProblem)
      } else {
        foreign.push(...result.problems)
      }
      return
    }
    // when the whole file had the right shape, so has each service: no second pass over it
    const usable = shape.success ? (isPlainMap(raw) ? (raw as UsableService) : undefined) : usableService(raw)
    if (!usable) return
    const envField = (['env', 'environment', 'configuration'] as const).find((f) => usable[f] !== undefined) ?? 'env'
    const rawEnv = (raw as Record<string, unknown>)[envField]
    const one = buildService(usable, rawEnv, [...base, i], directory, problems)
    const fileVars = envFileVariables(usable, [...base, i], directory, shownDirectory, problems, otherFiles)
    const say = `service "${usable.name}": `
    const build = buildCommand(usable.build, [...base, i], say, problems)
    const watch = watchOf(usable.watch, build !== undefined, directory, [...base, i], say, problems)
    if (!one || !fileVars) return
    one.env = withFileVariables(fileVars.vars, one.env)
    one.envFiles = fileVars.files
    if (build) one.build = build
    if (watch) one.watch = watch
    built.push({ service: one, path: [...base, i] })
  })
  // an included service clashing with this file's is said at the include entry
  for (const group of included) {
    for (const service of joinIncluded([...built.map((b) => b.service.name), ...included.slice(0, included.indexOf(group)).flatMap((g) => g.services.map((s) => s.name))], group.services)) {
      built.push({ service, path: group.path })
    }
  }
  const map = form === 'map' ? (root as RawApplicationMap) : undefined
  const extended = expandExtensions(Array.isArray(map?.extensions) ? map.extensions : [], built.map((b) => b.service), directory, problems)
  extended.services.forEach((service) => built.push({ service, path: ['extensions'] }))
  const ingress = buildIngresses(Array.isArray(map?.ingress) ? map.ingress : [], built.map((b) => b.service.name), problems)
  for (const other of includedIngress) if (!ingress.some((i) => i.name === other.name)) ingress.push(other)
  checkIngressPorts(ingress, built, problems)
  checkBindingPorts(built, problems)
  checkDiscoveryNames(built, problems)
  checkDependencies(services, base, built, problems)
  const registry = typeof map?.registry === 'string' ? map.registry : map?.registry?.hostname
  if (typeof map?.namespace === 'string' && !KUBERNETES_NAMESPACE.test(map.namespace)) {
    problems.at(['namespace'], `namespace "${map.namespace}": a Kubernetes namespace is a DNS label (lowercase letters, digits and "-", at most 63, starting and ending with a letter or digit)`)
  }

  const warnings = [...problems.toWarnings(path), ...foreignWarnings]
  if (problems.count > 0 || !shape.success || foreign.length > 0 || otherFiles.length > 0) {
    return { ok: false, problems: [...problems.toConfigProblems(path), ...foreign, ...otherFiles], warnings }
  }
  const name = map?.name
  return {
    ok: true,
    application: {
      name: name ?? basename(directory),
      source: file,
      directory,
      services: built.map((b): Service => b.service),
      ...(includes.length > 0 ? { includes } : {}),
      ...(map?.dashboardPort !== undefined ? { dashboardPort: map.dashboardPort } : {}),
      ...(map?.network !== undefined ? { network: map.network } : {}),
      ...(registry !== undefined ? { registry } : {}),
      ...(map?.namespace !== undefined ? { namespace: map.namespace } : {}),
      ...(ingress.length > 0 ? { ingress } : {}),
      ...(extended.extensions.length > 0 ? { extensions: extended.extensions } : {}),
    },
    warnings,
  }
}

/**
 * The parts of a service that have the right shape (the rest is reported already), so the
 * checks across its other fields still run: a bad field is left out, a bad item of a list is
 * left as a hole so the items after it keep their place. Without a good name or what to run,
 * nothing is left to check.
 */
function usableService(raw: unknown): UsableService | undefined {
  if (!isPlainMap(raw)) return undefined
  const shape = serviceSchema.safeParse(raw)
  // the raw map rather than zod's copy: its keys keep the order of the file
  if (shape.success) return raw as UsableService
  const badFields = new Set<string>()
  const badItems = new Map<string, Set<number>>()
  for (const issue of shape.error.issues) {
    const [field, item] = issue.path
    if (issue.code === 'unrecognized_keys' && field === undefined) issue.keys.forEach((k) => badFields.add(k))
    else if (typeof field !== 'string') return undefined
    else if (typeof item === 'number' && ITEM_LISTS.has(field)) badItems.set(field, (badItems.get(field) ?? new Set()).add(item))
    // env is read item by item from the raw value, which skips what is of the wrong shape
    else if (field !== 'env' && field !== 'environment' && field !== 'configuration') badFields.add(field)
  }
  if (['name', 'project', 'projectFile', 'executable', 'dockerImage', 'image', 'dockerFile'].some((f) => badFields.has(f))) return undefined
  // fromEntries defines properties: a "__proto__" key cannot reach the prototype
  const usable = Object.fromEntries(
    Object.entries(raw)
      .filter(([key]) => !badFields.has(key))
      .map(([key, value]) => {
        const holes = badItems.get(key)
        return [key, holes && Array.isArray(value) ? value.map((v: unknown, j) => (holes.has(j) ? null : v)) : value]
      }),
  )
  return usable as UsableService
}

/**
 * ${VAR} in every value, before the schema sees them: a number written as ${REPLICAS} without
 * quotes is then a number, as it would be had it been written out.
 */
function interpolateValues(root: unknown, form: Form, source: YamlSource, problems: ProblemList, lookup: (name: string) => string | undefined): Set<string> {
  const { problems: found, changed } = interpolate(root, {
    lookup,
    // a connection string's ${host} and ${port} are Micronetes' own, filled per consumer
    keep: (path, name) => path[path.length - 1] === 'connectionString' && (name === 'host' || name === 'port' || name === 'env'),
  })
  const notFilled = new Set<string>()
  for (const p of found) {
    problems.addAll([{ position: source.textAt(p.path, p.needle), message: where(p.path, form, root).prefix + p.message }])
    const at = source.valueAt(p.path)
    notFilled.add(`${at.line}:${at.col}`)
  }
  for (const path of changed) {
    if (!source.isPlain(path)) continue
    const parent = valueAtPath(root, path.slice(0, -1)) as Record<string | number, unknown>
    const key = path[path.length - 1]!
    const typed: unknown = parseScalar(String(parent[key]))
    if (typeof typed === 'number' || typeof typed === 'boolean') parent[key] = typed
  }
  return notFilled
}

function valueAtPath(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, segment) => (value as Record<string | number, unknown>)[segment], root)
}

/** the variables of the service's env files, in order; undefined when one cannot be used */
function envFileVariables(
  raw: UsableService,
  path: Path,
  directory: string,
  shownDirectory: string,
  problems: ProblemList,
  otherFiles: ConfigProblem[],
): { vars: EnvVar[][]; files: string[] } | undefined {
  // Tye's env_file is the same list under its own name
  if (raw.envFile !== undefined && raw.env_file !== undefined) problems.atKey([...path, 'env_file'], `service "${raw.name}": use "envFile" or Tye's "env_file", not both`)
  const field = raw.envFile !== undefined ? 'envFile' : 'env_file'
  const given = raw[field]
  if (given === undefined) return { vars: [], files: [] }
  const written = typeof given === 'string' ? [given] : given
  const result = { vars: [] as EnvVar[][], files: [] as string[] }
  let usable = true
  written.forEach((name, j) => {
    const absolute = resolve(directory, localPath(name))
    const read = readEnvFile(absolute, isAbsolute(name) ? name : join(shownDirectory, name))
    result.files.push(absolute)
    if (read.ok) {
      result.vars.push(read.vars)
      return
    }
    usable = false
    if ('problems' in read) otherFiles.push(...read.problems)
    else problems.at(typeof given === 'string' ? [...path, field] : [...path, field, j], `service "${raw.name}": env file "${name}": ${read.cannotRead}`)
  })
  return usable ? result : undefined
}

/** what Kubernetes takes as a namespace's name (RFC 1123 label) */
const KUBERNETES_NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

const ITEM_LISTS = new Set(['bindings', 'volumes', 'args'])

/** x- fields of the map form hold anchors for the services; they are not part of the app */
function withoutExtensionFields(root: Record<string, unknown>): void {
  for (const key of Object.keys(root)) if (EXTENSION_FIELD.test(key)) delete root[key]
}

function fileProblem(path: string, message: string): LoadResult {
  return { ok: false, problems: [{ file: path, line: 1, col: 1, severity: 'error', message }], warnings: [] }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}
