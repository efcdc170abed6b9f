// One service of app.yaml, already of the right shape, made into the model's Service: aliases
// folded, defaults filled, paths made absolute, and the checks that span its fields.
import { statSync } from 'node:fs'
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path'
import type { Binding, EnvVar, Service, ServiceKind, Volume } from '../../../src-shared/app-model'
import { DEFAULT_STOP_GRACE_PERIOD_MS } from '../../../src-shared/app-model'
import type { RawBinding, RawService, RawVolume } from '../../../src-shared/app-schema'
import { ENV_NAME, ENV_NAME_RULE } from '../../../src-shared/app-schema'
import { buildHealth } from './build-health'
import { CommandNotRunnable, resolveCommand } from '../platform/command-path'
import type { ProblemList } from './problem-list'
import { splitArgs } from './split-args'
import type { Path } from './yaml-source'

const RUN_FIELDS = ['project', 'executable', 'dockerImage', 'image'] as const
const MAX_STOP_GRACE_PERIOD_MS = 3_600_000

/** a service whose lists may have holes where an item had the wrong shape (reported already) */
export type UsableService = Omit<RawService, 'bindings' | 'volumes' | 'args'> & {
  bindings?: (RawBinding | null)[]
  volumes?: (RawVolume | null)[]
  args?: string | (string | null)[]
}

export function buildService(raw: UsableService, rawEnv: unknown, path: Path, directory: string, problems: ProblemList): Service | undefined {
  const before = problems.count
  const say = `service "${raw.name}": `
  const at = (rest: Path, message: string) => problems.at([...path, ...rest], say + message)
  const atKey = (rest: Path, message: string) => problems.atKey([...path, ...rest], say + message)

  const kind = kindOf(raw, path, problems, say)
  const image = raw.dockerImage ?? raw.image

  if (raw.env !== undefined && raw.environment !== undefined) atKey(['environment'], 'use "env" or its alias "environment", not both')
  const envField = raw.env !== undefined ? 'env' : 'environment'
  const written = (rest: Path) => problems.source.scalarTextAt([...path, envField, ...rest])
  const env = buildEnv(rawEnv, written, (rest, message) => at([envField, ...rest], message), (rest, message) => atKey([envField, ...rest], message))

  const bindings = raw.bindings ?? []
  let unnamed = 0
  const names = new Set<string>()
  bindings.forEach((b, j) => {
    if (b === null) return
    if (b.name === undefined && ++unnamed === 2) at(['bindings', j], 'only one binding may have no "name"; name this one too')
    if (b.name !== undefined) {
      if (names.has(b.name)) at(['bindings', j, 'name'], `binding name "${b.name}" is used twice`)
      names.add(b.name)
    }
    if (b.containerPort !== undefined && kind !== 'container') atKey(['bindings', j, 'containerPort'], '"containerPort" is only for containers (dockerImage)')
    if (kind === 'container' && b.port === undefined && b.containerPort === undefined) {
      at(['bindings', j], 'a binding of a container needs "containerPort" or "port": the port it listens on inside the container')
    }
    if (kind === 'external' && b.port === undefined) at(['bindings', j], 'a binding of an external service needs a "port"')
  })

  if (raw.volumes !== undefined && kind !== 'container') atKey(['volumes'], '"volumes" are only for containers (dockerImage)')
  raw.volumes?.forEach((v, j) => {
    if (v === null) return
    // Docker refuses a bind mount whose source is missing; better said here, with the line
    const source = resolve(directory, v.source)
    if (kind === 'container' && !statSync(source, { throwIfNoEntry: false })) at(['volumes', j, 'source'], `volume source "${v.source}" does not exist (looked for ${source})`)
    if (!v.target.startsWith('/')) at(['volumes', j, 'target'], `volume target "${v.target}" must be an absolute path inside the container`)
  })

  let args: string[] = []
  if (typeof raw.args === 'string') {
    const split = splitArgs(raw.args)
    if (split.ok) args = split.args
    else at(['args'], `"args" cannot be split into words: ${split.message}`)
  } else if (raw.args) {
    args = raw.args.filter((a) => a !== null)
  }

  const project = raw.project === undefined ? undefined : resolve(directory, raw.project)
  if (project !== undefined && kind === 'project') checkProject(raw.project!, project, (m) => at(['project'], m))
  const executable = raw.executable === undefined ? undefined : executablePath(raw.executable, directory)
  if (executable !== undefined && kind === 'executable') checkExecutable(raw.executable!, executable, env, directory, [...path, 'executable'], problems, say)
  let workingDirectory: string | undefined
  if (raw.workingDirectory !== undefined && kind === 'container') {
    // a path inside the container (its WorkingDir), not on this machine
    workingDirectory = raw.workingDirectory
    if (!workingDirectory.startsWith('/')) at(['workingDirectory'], `the working directory of a container must be an absolute path inside it, not "${workingDirectory}"`)
  } else if (raw.workingDirectory !== undefined) {
    workingDirectory = resolve(directory, raw.workingDirectory)
    if (!isFolder(workingDirectory)) at(['workingDirectory'], `working directory "${raw.workingDirectory}" is not a folder (looked for ${workingDirectory})`)
  }
  // processes need somewhere to start; a container keeps its image's own WORKDIR
  if (workingDirectory === undefined && kind === 'project' && project !== undefined) workingDirectory = isFolder(project) ? project : dirname(project)
  if (workingDirectory === undefined && kind === 'executable') workingDirectory = directory

  const stopGracePeriodMs = gracePeriodMs(raw.stopGracePeriod)
  if (stopGracePeriodMs > MAX_STOP_GRACE_PERIOD_MS) at(['stopGracePeriod'], `"stopGracePeriod" must be at most an hour, not ${String(raw.stopGracePeriod)}`)

  // health and start order (build-health.ts)
  const health = buildHealth(
    { kind, bindings: bindings.filter((b) => b !== null), readiness: raw.readiness, liveness: raw.liveness, dependsOn: raw.dependsOn, restart: raw.restart, autoStart: raw.autoStart },
    at,
    atKey,
  )

  if (problems.count > before) return undefined
  return {
    name: raw.name,
    kind,
    ...(kind === 'project' ? { project } : {}),
    ...(kind === 'executable' ? { executable } : {}),
    ...(kind === 'container' ? { image } : {}),
    args,
    ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    replicas: raw.replicas ?? 1,
    env,
    bindings: bindings.filter((b) => b !== null).map((b): Binding => ({
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.port !== undefined ? { port: b.port } : {}),
      ...(kind === 'container' ? { containerPort: b.containerPort ?? b.port } : {}),
      host: b.host ?? 'localhost',
      protocol: b.protocol ?? 'http',
      ...(b.connectionString !== undefined ? { connectionString: b.connectionString } : {}),
    })),
    stopGracePeriodMs,
    volumes: (raw.volumes ?? []).filter((v) => v !== null).map((v): Volume => ({ source: resolve(directory, v.source), target: v.target, readOnly: v.readOnly ?? false })),
    envFiles: [],
    ...health,
  }
}

function kindOf(raw: UsableService, path: Path, problems: ProblemList, say: string): ServiceKind {
  // in the order of the file, so "has both" names the second one written
  const given = Object.keys(raw).filter((f): f is (typeof RUN_FIELDS)[number] => (RUN_FIELDS as readonly string[]).includes(f) && raw[f as keyof UsableService] !== undefined)
  if (raw.dockerImage !== undefined && raw.image !== undefined) problems.atKey([...path, 'image'], say + 'use "dockerImage" or its alias "image", not both')
  const sources = given.filter((f) => !(f === 'image' && raw.dockerImage !== undefined))
  if (raw.external === true) {
    for (const f of sources) problems.atKey([...path, f], `${say}an external service is not run, so it takes no "${f}"`)
    return 'external'
  }
  if (sources.length === 0) {
    problems.at(path, `${say}nothing to run: give one of "project", "executable" or "dockerImage" (or "external: true")`)
  } else if (sources.length > 1) {
    problems.atKey([...path, sources[1]!], `${say}has both "${sources[0]}" and "${sources[1]}"; give exactly one`)
  }
  switch (sources[0]) {
    case 'project': return 'project'
    case 'executable': return 'executable'
    default: return 'container'
  }
}

type Report = (rest: Path, message: string) => void

/**
 * env as a map, or a list of {name, value} / KEY=value; read from the raw value so no key is
 * lost. A number or boolean value is taken as `written` in the file (at the path of its value).
 */
function buildEnv(raw: unknown, written: (rest: Path) => string | undefined, at: Report, atKey: Report): EnvVar[] {
  const env: EnvVar[] = []
  const seen = new Set<string>()
  const add = (name: string, value: unknown, rest: Path, report: Report, valuePath: Path = rest) => {
    if (!ENV_NAME.test(name) || name === '__proto__') {
      report(rest, `"${name}" is not a valid environment variable name (${ENV_NAME_RULE})`)
    } else if (seen.has(name)) {
      report(rest, `environment variable "${name}" is set twice`)
    }
    seen.add(name)
    if (isScalar(value)) env.push({ name, value: value === null ? '' : typeof value === 'string' ? value : (written(valuePath) ?? String(value)) })
  }
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, j) => {
      if (typeof item === 'string') {
        const eq = item.indexOf('=')
        if (eq < 0) at([j], `"${item}" in the environment list must be KEY=value or {name, value}`)
        else add(item.slice(0, eq), item.slice(eq + 1), [j], at)
      } else if (isEntry(item)) {
        add(item.name, item.value, [j, 'name'], at, [j, 'value'])
      }
    })
  } else if (raw !== null && typeof raw === 'object') {
    // a name is checked even when its value is of the wrong shape: the schema never sees a
    // "__proto__" key of a map, so this is the only place that can report it
    for (const [name, value] of Object.entries(raw)) add(name, value, [name], atKey)
  }
  return env
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

/** a {name, value} entry whose shape is right; others are reported by the schema */
function isEntry(item: unknown): item is { name: string; value: unknown } {
  if (item === null || typeof item !== 'object') return false
  const { name, value } = item as Record<string, unknown>
  return typeof name === 'string' && name !== '' && value !== null && isScalar(value) && Object.keys(item).length === 2
}

function checkProject(written: string, absolute: string, report: (message: string) => void): void {
  if (isFolder(absolute)) return
  if (!isFile(absolute)) {
    report(`project "${written}" does not exist (looked for ${absolute})`)
    return
  }
  const file = basename(absolute)
  if (file !== 'package.json' && !/\.(cs|fs)proj$/.test(file)) {
    report(`project "${written}" must be a folder, a package.json, or a .csproj/.fsproj file`)
  }
}

/** a name is looked up on PATH when run; a path (it has a "/") is taken from app.yaml's folder */
function executablePath(written: string, directory: string): string {
  if (isAbsolute(written) || !isPath(written)) return written
  return resolve(directory, written)
}

function isPath(written: string): boolean {
  return isAbsolute(written) || written.includes('/') || (sep !== '/' && written.includes(sep))
}

/**
 * A path that does not exist is an error: nothing will make it appear by the time the service
 * starts, as far as app.yaml can tell. A name not on PATH is only a warning: it may be installed
 * or built later, and PATH is looked at again when a replica starts (the service's own PATH
 * when its env sets one, as spawn() uses).
 */
function checkExecutable(written: string, executable: string, env: EnvVar[], directory: string, path: Path, problems: ProblemList, say: string): void {
  if (isPath(written)) {
    if (isFile(executable)) return
    const where = executable === written ? '' : ` (looked for ${executable})`
    problems.at(path, `${say}executable "${written}" does not exist${where}`)
    return
  }
  try {
    resolveCommand(written, { cwd: directory, env: { ...process.env, ...Object.fromEntries(env.map((v) => [v.name, v.value])) } })
  } catch (err) {
    if (!(err instanceof CommandNotRunnable)) throw err
    const why = err.code === 'ENOENT' ? 'is not on PATH' : 'is on PATH but not executable'
    problems.warnAt(path, `${say}executable "${written}" ${why}; the service fails to start unless it is there by then`)
  }
}

function gracePeriodMs(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_STOP_GRACE_PERIOD_MS
  if (typeof value === 'number') return Math.round(value * 1000)
  const amount = Number.parseFloat(value)
  if (value.endsWith('ms')) return Math.round(amount)
  if (value.endsWith('m')) return Math.round(amount * 60_000)
  return Math.round(amount * 1000)
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
}
