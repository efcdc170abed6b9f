// `micronetes generate compose`: the application as a Compose file. Each service is a Compose
// service of its image with its replicas; the others find it under the same discovery
// variables as locally, now naming the Compose service (Docker's DNS spreads connections
// over its containers) and the port its containers listen on.
import { relative } from 'node:path'
import type { Application, DependencyCondition, Service } from '../../../src-shared/app-model'
import { composeAmounts } from './resource-amounts'
import { composeDuration, composeHealthcheck, type ComposeHealthcheck } from './compose-health'
import { externalReach, isLoopback } from './external-reach'
import type { Generated, Note } from './generated'
import { missingImages, targetImage } from './target-images'
import { ownEnvironment, targetDiscovery } from './target-env'
import { targetBinding, targetBindings } from './target-ports'
import { CONTAINER_HOST_ALIAS } from '../discovery-env'

type ComposeCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully'

export interface ComposeService {
  image: string
  build?: { context: string; dockerfile: string; args?: Record<string, string> }
  command?: string[]
  working_dir?: string
  environment?: Record<string, string>
  ports?: string[]
  healthcheck?: ComposeHealthcheck
  depends_on?: Record<string, { condition: ComposeCondition }>
  restart: string
  stop_grace_period: string
  deploy: { replicas: number; resources?: { limits?: { cpus?: string; memory?: string }; reservations?: { cpus?: string; memory?: string } } }
  volumes?: { type: 'bind' | 'volume'; source: string; target: string; read_only?: boolean }[]
  extra_hosts?: string[]
}

export interface ComposeFile {
  services: Record<string, ComposeService>
  /** named volumes (Tye's volume name) */
  volumes?: Record<string, Record<string, never>>
}

export interface ComposeOutput {
  file: ComposeFile
  /** per Compose service, what did not carry over; '' for the file as a whole */
  comments: Record<string, string[]>
}

export interface ComposeOptions {
  /** the folder the file is written to: bind mount sources and build contexts are written relative to it */
  directory?: string
  /** the registry the images Compose builds are tagged for */
  registry?: string
}

/** Docker's name for the machine running the engine, as containers reach it locally too */
const HOST_GATEWAY = `${CONTAINER_HOST_ALIAS}:host-gateway`

export function generateCompose(application: Application, options: ComposeOptions = {}): Generated<ComposeOutput> {
  // the command line's choice, else the file's (Tye's top-level registry)
  const registry = options.registry ?? application.registry
  const images = { buildsImages: true, ...(registry !== undefined ? { registry } : {}) }
  const missing = missingImages(application, images)
  if (missing.length > 0) return { ok: false, problems: missing }
  const directory = options.directory ?? application.directory
  const byName = new Map(application.services.map((s) => [s.name, s]))
  const notes: Note[] = []
  const say = (service: string, message: string) => notes.push({ service, message })

  let reachesHost = false
  const discovery = targetDiscovery(application, (service, binding) => {
    if (service.kind !== 'external') return { host: service.name, port: targetBinding(service, binding).containerPort }
    if (!isLoopback(binding.host)) return { host: binding.host, port: binding.port! }
    reachesHost = true
    return { host: CONTAINER_HOST_ALIAS, port: binding.port! }
  })
  const healthchecks = new Map<string, ComposeHealthcheck>()
  for (const service of application.services) {
    if (service.readiness === undefined || service.kind === 'external') continue
    const result = composeHealthcheck(service.readiness, targetBindings(service))
    if ('none' in result) say(service.name, result.none)
    else healthchecks.set(service.name, result.healthcheck)
  }

  const services: Record<string, ComposeService> = {}
  const namedVolumes = new Set<string>()
  if ((application.ingress ?? []).length > 0) notes.push({ message: 'its ingress has no Compose form here: not generated; put a reverse proxy service in front, or publish the services\' ports' })
  for (const service of application.services) {
    if (service.kind === 'external') {
      if (externalReach(service).kind === 'local') say(service.name, `external, on this machine: the containers reach it as ${CONTAINER_HOST_ALIAS}`)
      continue
    }
    const bindings = targetBindings(service)
    const replicas = service.autoStart ? service.replicas : 0
    if (!service.autoStart) say(service.name, 'autoStart is false: generated with 0 replicas; `docker compose up --scale` it when wanted')
    const ports: string[] = []
    for (const b of bindings) {
      if (b.binding.port === undefined) continue
      if (replicas <= 1) {
        ports.push(`${b.binding.port}:${b.containerPort}`)
      } else {
        // several containers cannot share one host port: each gets one of its own
        ports.push(String(b.containerPort))
        say(service.name, `${replicas} replicas cannot share host port ${b.binding.port}: each publishes ${b.containerPort} on a port Docker picks (\`docker compose port --index N ${service.name} ${b.containerPort}\`); inside the Compose network, ${service.name}:${b.containerPort} reaches them all`)
      }
    }
    if (service.liveness !== undefined) say(service.name, 'its liveness probe has no Compose form: Docker marks a container unhealthy but does not restart it; not carried over')
    const dependsOn = dependencies(service, byName, healthchecks, (m) => say(service.name, m))
    const healthcheck = healthchecks.get(service.name)
    const { requests, limits } = service.deploy ?? {}
    const resources = requests !== undefined || limits !== undefined
      ? { ...(limits ? { limits: composeAmounts(limits) } : {}), ...(requests ? { reservations: composeAmounts(requests) } : {}) }
      : undefined
    const build = service.dockerBuild
    for (const v of service.volumes) if (v.name !== undefined) namedVolumes.add(v.name)
    services[service.name] = {
      image: targetImage(service, images)!,
      ...(build !== undefined
        ? { build: { context: relativeTo(directory, build.context), dockerfile: relative(build.context, build.dockerfile), ...(build.args.length > 0 ? { args: Object.fromEntries(build.args.map((a) => [a.name, a.value])) } : {}) } }
        : {}),
      ...(service.kind === 'container' && service.args.length > 0 ? { command: service.args } : {}),
      ...(service.kind === 'container' && service.workingDirectory !== undefined ? { working_dir: service.workingDirectory } : {}),
      environment: { ...discovery.plain, ...discovery.connectionStrings, ...ownEnvironment(service) },
      ...(ports.length > 0 ? { ports } : {}),
      ...(healthcheck !== undefined ? { healthcheck } : {}),
      ...(dependsOn !== undefined ? { depends_on: dependsOn } : {}),
      restart: restartPolicy(service),
      stop_grace_period: composeDuration(service.stopGracePeriodMs),
      deploy: { replicas, ...(resources ? { resources } : {}) },
      ...(service.volumes.length > 0
        ? {
            volumes: service.volumes.map((v) => ({
              ...(v.name !== undefined ? { type: 'volume' as const, source: v.name } : { type: 'bind' as const, source: relativeTo(directory, v.source!) }),
              target: v.target,
              ...(v.readOnly ? { read_only: true } : {}),
            })),
          }
        : {}),
      ...(reachesHost ? { extra_hosts: [HOST_GATEWAY] } : {}),
    }
  }

  const comments: Record<string, string[]> = {}
  for (const note of notes) {
    const key = note.service !== undefined && services[note.service] !== undefined ? note.service : ''
    ;(comments[key] ??= []).push(key === '' && note.service !== undefined ? `service "${note.service}": ${note.message}` : note.message)
  }
  const file: ComposeFile = { services: escapeInterpolation(services), ...(namedVolumes.size > 0 ? { volumes: Object.fromEntries([...namedVolumes].map((n) => [n, {}])) } : {}) }
  return { ok: true, value: { file, comments }, notes }
}

function dependencies(service: Service, byName: Map<string, Service>, healthchecks: Map<string, ComposeHealthcheck>, say: (message: string) => void): ComposeService['depends_on'] {
  const entries: [string, { condition: ComposeCondition }][] = []
  for (const dependency of service.dependsOn) {
    const on = byName.get(dependency.service)
    if (on === undefined || on.kind === 'external') continue
    let condition = CONDITIONS[dependency.condition]
    if (condition === 'service_healthy' && !healthchecks.has(on.name)) {
      say(`it waits for "${on.name}" to be ready locally; "${on.name}" has no healthcheck in Compose, so it waits only for it to start`)
      condition = 'service_started'
    }
    entries.push([on.name, { condition }])
  }
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

const CONDITIONS: Record<DependencyCondition, ComposeCondition> = {
  started: 'service_started',
  ready: 'service_healthy',
  completed: 'service_completed_successfully',
}

function restartPolicy(service: Service): string {
  switch (service.restart) {
    case 'always': return 'always'
    case 'never': return 'no'
    case 'on-failure': return service.maxRestarts === undefined ? 'on-failure' : `on-failure:${service.maxRestarts}`
  }
}

/** Compose resolves a relative path (a bind source, a build context) from the file's folder */
function relativeTo(directory: string, source: string): string {
  const path = relative(directory, source) || '.'
  return path.startsWith('..') || path.startsWith('/') ? path : `./${path}`
}

/**
 * Compose replaces $NAME in every value of the file with the variable of the shell it runs
 * in; a "$" of app.yaml (a shell command of args, a password) is meant for the container, so it
 * is written "$$", which Compose turns back into "$".
 */
function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$') as T
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T
  return value
}
