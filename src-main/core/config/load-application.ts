// app.yaml in, the normalized Application out, or every problem in the file at once, each
// with the line and column a person must edit.
import { basename, dirname, resolve } from 'node:path'
import type { Application, Service } from '../../../src-shared/app-model'
import { applicationMapSchema, serviceSchema, servicesSchema } from '../../../src-shared/app-schema'
import type { ConfigProblem } from '../../../src-shared/problems'
import { buildService } from './build-service'
import type { BuiltService } from './check-application'
import { checkBindingPorts, checkServiceNames } from './check-application'
import { ProblemList, toConfigProblems } from './problem-list'
import { MAX_APP_FILE_BYTES, readAppFile, tooLarge } from './read-app-file'
import { SchemaProblems } from './schema-problems'
import type { Form } from './where'
import { rawServices, servicesPath } from './where'
import { parseYaml } from './yaml-source'

export type LoadResult = { ok: true; application: Application } | { ok: false; problems: ConfigProblem[] }

export async function loadApplication(path: string): Promise<LoadResult> {
  const read = await readAppFile(path)
  if (!read.ok) return fileProblem(path, read.message)
  return parseApplication(read.text, path)
}

/** path: the file as the user named it (problems quote it so); relative paths resolve from its folder */
export function parseApplication(text: string, path: string): LoadResult {
  if (text.length > MAX_APP_FILE_BYTES || Buffer.byteLength(text) > MAX_APP_FILE_BYTES) return fileProblem(path, tooLarge())
  const parsed = parseYaml(text)
  if (!parsed.ok) return { ok: false, problems: toConfigProblems(parsed.problems, path) }
  const { value: root, source } = parsed
  const problems = new ProblemList(source)

  const form: Form | undefined = Array.isArray(root) ? 'list' : isPlainMap(root) ? 'map' : undefined
  if (form === undefined) {
    const what = root === null || root === undefined ? 'the file is empty' : 'the file holds a single value'
    problems.at([], `${what}: app.yaml must be a list of services, or a map with "services"`)
    return { ok: false, problems: problems.toConfigProblems(path) }
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
    const usable = usableFields(raw)
    if (!usable) return
    const service = serviceSchema.safeParse(usable)
    if (!service.success) return
    const rawEnv = usable[service.data.env !== undefined ? 'env' : 'environment']
    const one = buildService(service.data, rawEnv, [...base, i], directory, problems)
    if (one) built.push({ service: one, path: [...base, i] })
  })
  checkBindingPorts(built, problems)

  if (problems.count > 0 || !shape.success) return { ok: false, problems: problems.toConfigProblems(path) }
  const name = form === 'map' ? (root as { name?: string }).name : undefined
  return {
    ok: true,
    application: {
      name: name ?? basename(directory),
      source: file,
      directory,
      services: built.map((b): Service => b.service),
    },
  }
}

/**
 * A service without the fields that are of the wrong shape (already reported), so the checks
 * across its other fields still run. Without a good name or what to run, nothing is left to check.
 */
function usableFields(raw: unknown): Record<string, unknown> | undefined {
  if (!isPlainMap(raw)) return undefined
  const shape = serviceSchema.safeParse(raw)
  if (shape.success) return raw
  const bad = new Set<string>()
  for (const issue of shape.error.issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) issue.keys.forEach((k) => bad.add(k))
    else if (typeof issue.path[0] === 'string') bad.add(issue.path[0])
    else return undefined
  }
  if (['name', 'project', 'executable', 'dockerImage', 'image'].some((f) => bad.has(f))) return undefined
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key)))
}

function fileProblem(path: string, message: string): LoadResult {
  return { ok: false, problems: [{ file: path, line: 1, col: 1, message }] }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}
