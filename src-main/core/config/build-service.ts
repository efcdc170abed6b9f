// One service of app.yaml, already of the right shape, made into the model's Service: aliases
// folded, defaults filled, paths made absolute, and the checks that span its fields.
import { durationMs } from './duration'
import { statSync } from 'node:fs'
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { Binding, Deploy, DockerBuild, EnvVar, ResourceAmounts, Service, ServiceKind, Volume } from '../../../src-shared/app-model'
import { DEFAULT_STOP_GRACE_PERIOD_MS } from '../../../src-shared/app-model'
import type { RawBinding, RawService, RawVolume } from '../../../src-shared/app-schema'
import type { RawDeploy } from '../../../src-shared/deploy-schema'
import { ENV_NAME, ENV_NAME_RULE } from '../../../src-shared/app-schema'
import { buildHealth } from './build-health'
import { CommandNotRunnable, resolveCommand } from '../platform/command-path'
import type { ProblemList } from './problem-list'
import { launchSettingsOf } from '../dotnet/launch-settings'
import { splitArgs } from './split-args'
import { builtImageName, defaultContainerPort, dockerBuildArgs, inferredProtocol, localPath } from './tye-fields'
import type { Path } from './yaml-source'

const RUN_FIELDS = ['project', 'projectFile', 'executable', 'dockerImage', 'image', 'dockerFile', 'azureFunction'] as const
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
  const dockerBuild = kind === 'container' ? dockerBuildOf(raw, directory, at) : undefined
  const image = raw.dockerImage ?? raw.image ?? (dockerBuild ? builtImageName(raw.name.toLowerCase()) : undefined)

  const envFields = ENV_FIELDS.filter((f) => raw[f] !== undefined)
  if (envFields.length > 1) atKey([envFields[1]!], `use "env" or one of its aliases "environment", "configuration", not both "${envFields[0]}" and "${envFields[1]}"`)
  const envField = envFields[0] ?? 'env'
  const written = (rest: Path) => problems.source.scalarTextAt([...path, envField, ...rest])
  const env = buildEnv(rawEnv, written, (rest, message) => at([envField, ...rest], message), (rest, message) => atKey([envField, ...rest], message))

  const bindings = raw.bindings ?? []
  let unnamed = 0
  // binding names are compared as their variables read them: `myBinding` and `MyBinding` are one
  const names = new Map<string, string>()
  bindings.forEach((b, j) => {
    if (b === null) return
    if (b.name === undefined && ++unnamed === 2) at(['bindings', j], 'only one binding may have no "name"; name this one too')
    if (b.name !== undefined) {
      const earlier = names.get(b.name.toLowerCase())
      if (earlier === b.name) at(['bindings', j, 'name'], `binding name "${b.name}" is used twice`)
      else if (earlier !== undefined) at(['bindings', j, 'name'], `binding names "${earlier}" and "${b.name}" differ only in case; their variables would be the same`)
      names.set(b.name.toLowerCase(), b.name)
    }
    if (b.containerPort !== undefined && b.internalPort !== undefined) atKey(['bindings', j, 'internalPort'], 'use "containerPort" or its older name "internalPort", not both')
    const inside = b.containerPort !== undefined ? 'containerPort' : 'internalPort'
    if ((b.containerPort ?? b.internalPort) !== undefined && kind !== 'container' && kind !== 'project') atKey(['bindings', j, inside], `"${inside}" is only for containers (dockerImage) and projects`)
    if (isConnectionStringOnly(b)) return
    const protocol = inferredProtocol(b.protocol, b.connectionString, image)
    if (kind === 'container' && b.port === undefined && b.containerPort === undefined && b.internalPort === undefined && defaultContainerPort(protocol, image) === undefined) {
      at(['bindings', j], `a ${protocol} binding of a container needs "containerPort" or "port": the port it listens on inside the container`)
    }
    if (kind === 'external' && b.port === undefined) at(['bindings', j], 'a binding of an external service needs a "port" (or only a "connectionString")')
  })

  if (raw.volumes !== undefined && kind !== 'container' && kind !== 'project') atKey(['volumes'], '"volumes" are only for containers (dockerImage) and projects')
  raw.volumes?.forEach((v, j) => {
    if (v === null) return
    if (v.source !== undefined && v.name !== undefined) atKey([`volumes`, j, 'name'], 'a volume has a "source" (a path here) or a "name" (a named volume), not both')
    else if (v.source === undefined && v.name === undefined) at(['volumes', j], 'a volume needs a "source" (a path here) or a "name" (a named volume)')
    else if (v.name !== undefined && !DOCKER_VOLUME_NAME.test(v.name)) at(['volumes', j, 'name'], `volume name "${v.name}" must be letters, digits, "_", "." and "-", starting with a letter or digit`)
    // Docker refuses a bind mount whose source is missing; better said here, with the line
    const source = v.source === undefined ? undefined : resolve(directory, localPath(v.source))
    if (source !== undefined && kind === 'container' && !statSync(source, { throwIfNoEntry: false })) at(['volumes', j, 'source'], `volume source "${v.source}" does not exist (looked for ${source})`)
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

  const projectField = raw.project !== undefined ? 'project' : 'projectFile'
  const writtenProject = raw.project ?? raw.projectFile
  const project = writtenProject === undefined ? undefined : resolve(directory, localPath(writtenProject))
  if (project !== undefined && kind === 'project') checkProject(writtenProject!, project, (m) => at([projectField], m))
  const azureFunction = raw.azureFunction === undefined ? undefined : { folder: resolve(directory, localPath(raw.azureFunction)), func: raw.pathToFunc === undefined ? 'func' : executablePath(localPath(raw.pathToFunc), directory) }
  if (azureFunction && !isFolder(azureFunction.folder)) at(['azureFunction'], `azureFunction "${raw.azureFunction}" is not a folder (looked for ${azureFunction.folder})`)
  if (raw.pathToFunc !== undefined && !azureFunction) atKey(['pathToFunc'], '"pathToFunc" goes with "azureFunction"')
  const executable = azureFunction?.func ?? (raw.executable === undefined ? undefined : executablePath(localPath(raw.executable), directory))
  if (raw.executable !== undefined && executable !== undefined && kind === 'executable' && !azureFunction) checkExecutable(localPath(raw.executable), executable, env, directory, [...path, 'executable'], problems, say)
  let workingDirectory: string | undefined
  if (raw.workingDirectory !== undefined && kind === 'container') {
    // a path inside the container (its WorkingDir), not on this machine
    workingDirectory = raw.workingDirectory
    if (!workingDirectory.startsWith('/')) at(['workingDirectory'], `the working directory of a container must be an absolute path inside it, not "${workingDirectory}"`)
  } else if (raw.workingDirectory !== undefined) {
    workingDirectory = resolve(directory, localPath(raw.workingDirectory))
    if (!isFolder(workingDirectory)) at(['workingDirectory'], `working directory "${raw.workingDirectory}" is not a folder (looked for ${workingDirectory})`)
  }
  // processes need somewhere to start; a container keeps its image's own WORKDIR
  if (workingDirectory === undefined && kind === 'project' && project !== undefined) workingDirectory = isFolder(project) ? project : dirname(project)
  if (workingDirectory === undefined && azureFunction) workingDirectory = azureFunction.folder
  if (workingDirectory === undefined && kind === 'executable') workingDirectory = directory

  // Tye's inference: a .NET project without bindings takes them (and its variables) from launchSettings.json
  const launch = kind === 'project' && isDotnet(project) && bindings.length === 0 ? launchSettingsOf(project!) : undefined
  if (launch?.found && 'error' in launch) at([projectField], `${launch.file} ${launch.error}`)
  const inferred = launch?.found && 'bindings' in launch ? launch : undefined
  if (!(kind === 'project' && isDotnet(project))) {
    // a build command (a string or list) is for any service; Tye's build: false and buildProperties are .NET's
    if (typeof raw.build === 'boolean') atKey(['build'], '"build: false" is only for .NET projects (a .csproj or .fsproj); give a command to run before each start instead')
    if (raw.buildProperties !== undefined) atKey(['buildProperties'], '"buildProperties" is only for .NET projects (a .csproj or .fsproj)')
  }
  const stopGracePeriodMs = durationMs(raw.stopGracePeriod) ?? DEFAULT_STOP_GRACE_PERIOD_MS
  if (stopGracePeriodMs > MAX_STOP_GRACE_PERIOD_MS) at(['stopGracePeriod'], `"stopGracePeriod" must be at most an hour, not ${String(raw.stopGracePeriod)}`)

  // health and start order (build-health.ts)
  const health = buildHealth(
    { kind, bindings: bindings.filter((b) => b !== null), readiness: raw.readiness, liveness: raw.liveness, dependsOn: raw.dependsOn, restart: raw.restart, autoStart: raw.autoStart },
    at,
    atKey,
  )
  if (raw.deploy !== undefined && kind === 'external') atKey(['deploy'], 'an external service is not run, so it takes no "deploy"')
  const deploy = raw.deploy === undefined ? undefined : buildDeploy(raw.deploy)

  if (problems.count > before) return undefined
  // Tye's ${env:NAME} in a connection string is the service's own variable NAME
  const envValue = (name: string) => (inferred?.env ?? []).concat(env).findLast((v) => v.name === name)?.value ?? ''
  const withEnv = (b: Binding): Binding => (b.connectionString?.includes('${env:') ? { ...b, connectionString: b.connectionString.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => envValue(name)) } : b)
  return {
    // Tye's names are case-insensitive: `appA` is the service `appa` (SERVICE__APPA__PORT)
    name: raw.name.toLowerCase(),
    kind,
    ...(kind === 'project' ? { project } : {}),
    ...(kind === 'executable' ? { executable } : {}),
    ...(kind === 'container' ? { image } : {}),
    args,
    ...(workingDirectory !== undefined ? { workingDirectory } : {}),
    replicas: raw.replicas ?? 1,
    env: inferred ? [...inferred.env.filter((v) => !env.some((e) => e.name === v.name)), ...env] : env,
    // a function host serves http: Tye gives a function without bindings one
    bindings: inferred ? inferred.bindings : azureFunction && bindings.length === 0 ? [{ host: 'localhost', protocol: 'http' }] : bindings.filter((b) => b !== null).map((b) => withEnv(buildBinding(b, kind, image))),
    stopGracePeriodMs,
    volumes: (raw.volumes ?? []).filter((v) => v !== null).map((v): Volume => ({
      ...(v.source !== undefined ? { source: resolve(directory, localPath(v.source)) } : {}),
      ...(v.name !== undefined ? { name: v.name } : {}),
      target: v.target,
      readOnly: v.readOnly ?? false,
    })),
    envFiles: [],
    ...(raw.tags !== undefined ? { tags: raw.tags.map(String) } : {}),
    ...(dockerBuild ? { dockerBuild } : {}),
    ...(azureFunction ? { azureFunction } : {}),
    ...(kind === 'project' && isDotnet(project) ? { dotnetBuild: { build: typeof raw.build === 'boolean' ? raw.build : true, properties: (raw.buildProperties ?? []).map((p) => ({ name: p.name, value: String(p.value) })) } } : {}),
    ...health,
    ...(deploy !== undefined ? { deploy } : {}),
  }
}

const ENV_FIELDS = ['env', 'environment', 'configuration'] as const

function isDotnet(project: string | undefined): boolean {
  return project !== undefined && /\.(cs|fs)proj$/i.test(project)
}

/** Tye's dockerFile: the Dockerfile and its context must exist, the Dockerfile inside the context */
function dockerBuildOf(raw: UsableService, directory: string, at: Report): DockerBuild | undefined {
  if (raw.dockerFile === undefined) {
    for (const field of ['dockerFileArgs', 'dockerFileContext'] as const) if (raw[field] !== undefined) at([field], `"${field}" goes with "dockerFile"`)
    return undefined
  }
  const dockerfile = resolve(directory, localPath(raw.dockerFile))
  const context = raw.dockerFileContext === undefined ? dirname(dockerfile) : resolve(directory, localPath(raw.dockerFileContext))
  if (!isFile(dockerfile)) at(['dockerFile'], `Dockerfile "${raw.dockerFile}" does not exist (looked for ${dockerfile})`)
  else if (!isFolder(context)) at(['dockerFileContext'], `build context "${raw.dockerFileContext}" is not a folder (looked for ${context})`)
  else if (!relative(context, dockerfile).split(sep).every((part) => part !== '..') || isAbsolute(relative(context, dockerfile))) {
    at(['dockerFile'], `Dockerfile "${raw.dockerFile}" must be inside the build context ${context}: the engine only sees what the context holds`)
  }
  const args = dockerBuildArgs(raw.dockerFileArgs, (rest, message) => at(['dockerFileArgs', ...rest], message))
  return { dockerfile, context, args }
}

/** what Docker accepts as a volume name */
const DOCKER_VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

function isConnectionStringOnly(b: RawBinding): boolean {
  return b.connectionString !== undefined && b.port === undefined && b.containerPort === undefined && b.internalPort === undefined && b.protocol === undefined
}

function buildBinding(b: RawBinding, kind: ServiceKind, image: string | undefined): Binding {
  const connectionStringOnly = isConnectionStringOnly(b)
  const protocol = inferredProtocol(b.protocol, b.connectionString, image)
  const inside = b.containerPort ?? b.internalPort
  return {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.port !== undefined ? { port: b.port } : {}),
    ...(kind === 'container' && !connectionStringOnly ? { containerPort: inside ?? b.port ?? defaultContainerPort(protocol, image) } : {}),
    host: b.host ?? 'localhost',
    protocol,
    ...(b.connectionString !== undefined ? { connectionString: b.connectionString } : {}),
    ...(connectionStringOnly ? { connectionStringOnly: true } : {}),
    ...(b.routes !== undefined && b.routes.length > 0 ? { routes: [...b.routes] } : {}),
  }
}

function buildDeploy(raw: RawDeploy): Deploy {
  const amounts = (a: { cpu?: number | string; memory?: number | string } | undefined): ResourceAmounts | undefined =>
    a === undefined ? undefined : { ...(a.cpu !== undefined ? { cpu: String(a.cpu) } : {}), ...(a.memory !== undefined ? { memory: String(a.memory) } : {}) }
  const requests = amounts(raw.resources?.requests)
  const limits = amounts(raw.resources?.limits)
  return { ...(raw.image !== undefined ? { image: raw.image } : {}), ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) }
}

function kindOf(raw: UsableService, path: Path, problems: ProblemList, say: string): ServiceKind {
  // in the order of the file, so "has both" names the second one written
  const given = Object.keys(raw).filter((f): f is (typeof RUN_FIELDS)[number] => (RUN_FIELDS as readonly string[]).includes(f) && raw[f as keyof UsableService] !== undefined)
  if (raw.dockerImage !== undefined && raw.image !== undefined) problems.atKey([...path, 'image'], say + 'use "dockerImage" or its alias "image", not both')
  if (raw.project !== undefined && raw.projectFile !== undefined) problems.atKey([...path, 'projectFile'], say + 'use "project" or its alias "projectFile", not both')
  // with a dockerFile, an image names the tag of what it builds
  const sources = given.filter(
    (f) =>
      !(f === 'image' && raw.dockerImage !== undefined) &&
      !(f === 'projectFile' && raw.project !== undefined) &&
      !((f === 'image' || f === 'dockerImage') && raw.dockerFile !== undefined),
  )
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
    case 'project':
    case 'projectFile': return 'project'
    case 'executable':
    case 'azureFunction': return 'executable'
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
        // Tye's compact form: a bare KEY takes its value from the environment Micronetes runs in
        if (eq < 0) add(item, process.env[item] ?? '', [j], at)
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


function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
}
