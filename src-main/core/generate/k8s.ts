// `micronetes generate k8s`: the application as Kubernetes objects. Per service a Deployment
// (a Job for a service others wait to complete) and a Service for its bindings; the discovery
// variables in one ConfigMap, connection strings in one Secret, each service's own env in a
// ConfigMap of its own. Every replica finds the others under the same names as locally.
import { createHash } from 'node:crypto'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource'
import type { ISecret } from 'kubernetes-models/v1/Secret'
import type { IService } from 'kubernetes-models/v1/Service'
import type { Application, Service } from '../../../src-shared/app-model'
import type { Generated, Note } from './generated'
import { externalReach } from './external-reach'
import { applicationLabel, type Naming, objectMeta, selectorLabels, serviceHost } from './k8s-names'
import { podTemplate, type WaitTarget } from './k8s-pod'
import { missingImages, targetImage } from './target-images'
import { ownEnvironment, targetDiscovery, type TargetDiscovery } from './target-env'
import { targetBinding, targetBindings } from './target-ports'

export type KubernetesObject = IConfigMap | ISecret | IDeployment | IJob | IService

export interface Manifest {
  object: KubernetesObject
  /** written above the object: what did not carry over */
  comments: string[]
}

export interface KubernetesOptions {
  namespace?: string
  /** the image of the init containers that wait for dependencies (needs sh and nc) */
  waitImage?: string
  /** the registry the images built from a Dockerfile are pulled from */
  registry?: string
}

export const DEFAULT_WAIT_IMAGE = 'busybox:1.37'

export function generateKubernetes(application: Application, options: KubernetesOptions = {}): Generated<Manifest[]> {
  // the command line's choice, else the file's (Tye's top-level registry and namespace)
  const registry = options.registry ?? application.registry
  const namespace = options.namespace ?? application.namespace
  const images = registry !== undefined ? { registry } : {}
  const missing = missingImages(application, images)
  if (missing.length > 0) return { ok: false, problems: missing }

  const naming: Naming = { application: applicationLabel(application.name), ...(namespace !== undefined ? { namespace } : {}) }
  const byName = new Map(application.services.map((s) => [s.name, s]))
  const discovery = targetDiscovery(application, (service, binding) => {
    if (service.kind === 'external') {
      const reach = externalReach(service)
      return { host: reach.kind === 'direct' ? binding.host : serviceHost(naming, service.name), port: binding.port! }
    }
    return { host: serviceHost(naming, service.name), port: targetBinding(service, binding).port }
  })
  // a service others wait to complete is a job: it runs to its end, not forever
  const jobs = new Set(application.services.flatMap((s) => s.dependsOn.filter((d) => d.condition === 'completed').map((d) => d.service)))

  const manifests: Manifest[] = []
  const notes: Note[] = []
  const discoveryMap = `${naming.application}-discovery`
  const secret = `${naming.application}-connection-strings`
  if (Object.keys(discovery.plain).length > 0) {
    manifests.push({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: objectMeta(naming, discoveryMap), data: discovery.plain }, comments: [] })
  }
  if (Object.keys(discovery.connectionStrings).length > 0) {
    manifests.push({ object: { apiVersion: 'v1', kind: 'Secret', metadata: objectMeta(naming, secret), type: 'Opaque', stringData: discovery.connectionStrings }, comments: [] })
  }

  // every pod reads the discovery variables; its own ConfigMap comes after them
  const shared: IEnvFromSource[] = [
    ...(Object.keys(discovery.plain).length > 0 ? [{ configMapRef: { name: discoveryMap } }] : []),
    ...(Object.keys(discovery.connectionStrings).length > 0 ? [{ secretRef: { name: secret } }] : []),
  ]
  const waitImage = options.waitImage ?? DEFAULT_WAIT_IMAGE
  for (const service of application.services) {
    const before = notes.length
    const objects = service.kind === 'external'
      ? externalObjects(naming, service, notes)
      : serviceObjects({ naming, service, jobs, notes, byName, waitImage, discovery, envFrom: shared, image: targetImage(service, images)! })
    const said = notes.slice(before).map((n) => n.message)
    // on the workload, which they are about (an external service's one object is its Service)
    const main = objects.find((m) => m.object.kind === 'Deployment' || m.object.kind === 'Job') ?? objects[0]
    if (main !== undefined) main.comments.push(...said)
    else if (manifests.length > 0) manifests[0]!.comments.push(...said.map((m) => `service "${service.name}": ${m}`))
    manifests.push(...objects)
  }
  if ((application.ingress ?? []).length > 0) notes.push({ message: 'its ingress is not generated: write a Kubernetes Ingress for the Services above (the rules of app.yaml name them)' })
  return { ok: true, value: manifests, notes }
}

interface ServiceInput {
  naming: Naming
  service: Service
  jobs: Set<string>
  notes: Note[]
  byName: Map<string, Service>
  waitImage: string
  discovery: TargetDiscovery
  envFrom: IEnvFromSource[]
  image: string
}

function serviceObjects(input: ServiceInput): Manifest[] {
  const { naming, service, notes } = input
  const say = (message: string) => notes.push({ service: service.name, message })
  const bindings = targetBindings(service)
  const manifests: Manifest[] = []
  const envFrom = [...input.envFrom]
  const own = ownEnvironment(service)
  if (Object.keys(own).length > 0) {
    const name = `${service.name}-env`
    manifests.push({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: objectMeta(naming, name, service.name), data: own }, comments: [] })
    // last, so the service's own env wins over discovery, as it does locally
    envFrom.push({ configMapRef: { name } })
  }

  const waitFor: WaitTarget[] = []
  for (const dependency of service.dependsOn) {
    const on = input.byName.get(dependency.service)
    if (on === undefined || on.kind === 'external' || dependency.condition === 'started') continue
    if (dependency.condition === 'completed') {
      say(`it waits for "${on.name}" to complete locally; a pod cannot see a Job finish without API access, so it starts at once: apply the Job first and \`kubectl wait --for=condition=complete job/${on.name}\`, or let it retry`)
      continue
    }
    const first = targetBindings(on)[0]
    if (first === undefined) say(`it waits for "${on.name}" to be ready locally; "${on.name}" has no binding, so no Service tells when it is: not waited for`)
    else waitFor.push({ service: on.name, host: serviceHost(naming, on.name), port: first.port })
  }

  const isJob = input.jobs.has(service.name)
  const replicas = service.autoStart ? service.replicas : 0
  if (!service.autoStart) say('autoStart is false: generated with 0 replicas; `kubectl scale` it up when wanted')
  if (!isJob && service.restart === 'never') say('restart: never has no Deployment form: Kubernetes restarts the containers of a Deployment whenever they exit')
  if (!isJob && service.maxRestarts !== undefined) say(`maxRestarts (${service.maxRestarts}) has no Deployment form: Kubernetes keeps restarting, with its own back-off`)
  const template = podTemplate({
    naming, service, image: input.image, bindings, envFrom, waitFor, waitImage: input.waitImage,
    restartPolicy: isJob ? (service.restart === 'never' ? 'Never' : 'OnFailure') : 'Always',
    envDigest: createHash('sha256').update(JSON.stringify([input.discovery, own])).digest('hex').slice(0, 16),
    notes,
  })
  const metadata = objectMeta(naming, service.name, service.name)
  if (isJob) {
    manifests.push({
      object: { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { completions: replicas, parallelism: replicas, backoffLimit: service.restart === 'never' ? 0 : (service.maxRestarts ?? 6), template } },
      comments: [`others wait for "${service.name}" to complete: a Job`],
    })
  } else {
    manifests.push({
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas, selector: { matchLabels: selectorLabels(naming, service.name) }, template } },
      comments: [],
    })
  }
  if (bindings.length > 0) {
    manifests.push({
      object: {
        apiVersion: 'v1', kind: 'Service', metadata,
        spec: { selector: selectorLabels(naming, service.name), ports: bindings.map((b) => ({ name: portName(b.binding.name, bindings), port: b.port, targetPort: b.containerPort, protocol: 'TCP' })) },
      },
      comments: [],
    })
  }
  return manifests
}

/** every port of a Service with several needs a name; the default binding has none of its own */
function portName(name: string | undefined, all: { binding: { name?: string } }[]): string {
  if (name !== undefined) return name
  return all.some((b) => b.binding.name === 'default') ? 'unnamed' : 'default'
}

function externalObjects(naming: Naming, service: Service, notes: Note[]): Manifest[] {
  const reach = externalReach(service)
  const say = (message: string) => notes.push({ service: service.name, message })
  switch (reach.kind) {
    case 'name':
      return [{
        object: { apiVersion: 'v1', kind: 'Service', metadata: objectMeta(naming, service.name, service.name), spec: { type: 'ExternalName', externalName: reach.host } },
        comments: [`external: "${service.name}" is ${reach.host}, outside the cluster`],
      }]
    case 'direct':
      say('external, at addresses a Service cannot alias: the others are given its addresses as they are; nothing generated')
      return []
    case 'local':
      say(`external, on this machine (${service.bindings.map((b) => `${b.host}:${b.port}`).join(', ')}), which the cluster cannot reach: nothing generated; the others look for a Service named "${service.name}": create one that leads to it`)
      return []
  }
}
