// app.yaml in, the normalized Application out, or every problem in the file at once, each
// with the line and column a person must edit.
import { basename, dirname, resolve } from 'node:path'
import type { Application, Service } from '../../../src-shared/app-model'
import { applicationMapSchema, EXTENSION_FIELD, serviceSchema, servicesSchema } from '../../../src-shared/app-schema'
import type { ConfigProblem } from '../../../src-shared/problems'
import type { UsableService } from './build-service'
import { buildService } from './build-service'
import type { BuiltService } from './check-application'
import { checkBindingPorts, checkDiscoveryNames, checkServiceNames } from './check-application'
import { checkDependencies } from './check-dependencies'
import { ProblemList, toConfigProblems } from './problem-list'
import { MAX_APP_FILE_BYTES, readAppFile, tooLarge } from './read-app-file'
import { SchemaProblems } from './schema-problems'
import type { Form } from './where'
import { rawServices, servicesPath } from './where'
import { parseYaml } from './yaml-source'

/** warnings (severity 'warning') come with either answer: they never make it fail */
export type LoadResult = { ok: true; application: Application; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[]; warnings: ConfigProblem[] }

export async function loadApplication(path: string): Promise<LoadResult> {
  const read = await readAppFile(path)
  if (!read.ok) return fileProblem(path, read.message)
  return parseApplication(read.text, path)
}

/** path: the file as the user named it (problems quote it so); relative paths resolve from its folder */
export function parseApplication(text: string, path: string): LoadResult {
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

  const shape = (form === 'list' ? servicesSchema : applicationMapSchema).safeParse(root)
  if (!shape.success) {
    const schemaProblems = new SchemaProblems(form, root, source)
    schemaProblems.add(shape.error.issues)
    problems.addAll(schemaProblems.problems)
  }

  // the services of the right shape still get every other check, so one pass shows everything
  const file = resolve(path)
  const directory = dirname(file)
  const base = servicesPath(form)
  const services = rawServices(form, root)
  checkServiceNames(services, base, problems)
  const built: BuiltService[] = []
  services.forEach((raw, i) => {
    const usable = usableService(raw)
    if (!usable) return
    const rawEnv = (raw as Record<string, unknown>)[usable.env !== undefined ? 'env' : 'environment']
    const one = buildService(usable, rawEnv, [...base, i], directory, problems)
    if (one) built.push({ service: one, path: [...base, i] })
  })
  checkBindingPorts(built, problems)
  checkDiscoveryNames(built, problems)
  checkDependencies(services, base, built, problems)

  const warnings = problems.toWarnings(path)
  if (problems.count > 0 || !shape.success) return { ok: false, problems: problems.toConfigProblems(path), warnings }
  const name = form === 'map' ? (root as { name?: string }).name : undefined
  return {
    ok: true,
    application: {
      name: name ?? basename(directory),
      source: file,
      directory,
      services: built.map((b): Service => b.service),
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
    else if (field !== 'env' && field !== 'environment') badFields.add(field)
  }
  if (['name', 'project', 'executable', 'dockerImage', 'image'].some((f) => badFields.has(f))) return undefined
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
