// The pod of one service on Kubernetes: its container (image, args, working directory, ports,
// environment, probes, resources) and the init containers that hold it until what it depends
// on is ready.
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource'
import type { Service } from '../../../src-shared/app-model'
import type { Note } from './generated'
import { kubernetesProbe } from './k8s-probes'
import { type Naming, objectMeta, prefixedLabel } from './k8s-names'
import type { TargetBinding } from './target-ports'

/** a TCP port some Service answers on once one of its pods is ready */
export interface WaitTarget {
  service: string
  host: string
  port: number
}

export interface PodInput {
  naming: Naming
  service: Service
  image: string
  bindings: TargetBinding[]
  /** ConfigMaps and Secrets of env, in order: a later one wins */
  envFrom: IEnvFromSource[]
  waitFor: WaitTarget[]
  /** the image of the init containers that wait: it needs sh and nc */
  waitImage: string
  restartPolicy: 'Always' | 'OnFailure' | 'Never'
  /** changes whenever the environment the pod reads changes */
  envDigest: string
  notes: Note[]
}

/**
 * Kubernetes does not restart pods when a ConfigMap or Secret they read changes; a digest of
 * their environment on the pod template does, since a changed template rolls the Deployment.
 */
export const ENV_DIGEST_ANNOTATION = 'micronetes.dev/env-digest'

/** what Kubernetes' port names allow (IANA service names); others are left unnamed */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/

export function podTemplate(input: PodInput): IPodTemplateSpec {
  const { service, bindings, notes } = input
  const container: IContainer = {
    name: service.name,
    image: input.image,
    // app.yaml's args replace the image's command (Docker's CMD), as they do locally; an image
    // named under deploy: for a project or a program starts it by its own command
    ...(service.kind === 'container' && service.args.length > 0 ? { args: service.args } : {}),
    ...(service.kind === 'container' && service.workingDirectory !== undefined ? { workingDir: service.workingDirectory } : {}),
    ...(bindings.length > 0
      ? { ports: bindings.map((b) => ({ containerPort: b.containerPort, protocol: 'TCP', ...(b.binding.name !== undefined && PORT_NAME.test(b.binding.name) ? { name: b.binding.name } : {}) })) }
      : {}),
    ...(input.envFrom.length > 0 ? { envFrom: input.envFrom } : {}),
    // each pod's own name, as APP_INSTANCE names each replica locally, unless env sets it
    ...(service.env.some((e) => e.name === 'APP_INSTANCE') ? {} : { env: [{ name: 'APP_INSTANCE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }),
  }
  for (const which of ['readiness', 'liveness'] as const) {
    const probe = service[which]
    if (probe === undefined) continue
    const result = kubernetesProbe(probe, bindings, which)
    if ('none' in result) notes.push({ service: service.name, message: result.none })
    else container[which === 'readiness' ? 'readinessProbe' : 'livenessProbe'] = result.probe
  }
  // without a readiness probe a replica is ready locally once its port accepts connections;
  // Kubernetes would call it ready as soon as it runs, and send it connections too early
  if (service.readiness === undefined && bindings[0] !== undefined) container.readinessProbe = { tcpSocket: { port: bindings[0].containerPort }, periodSeconds: 1 }
  const { requests, limits } = service.deploy ?? {}
  if (requests !== undefined || limits !== undefined) container.resources = { ...(requests ? { requests: { ...requests } } : {}), ...(limits ? { limits: { ...limits } } : {}) }
  if (service.volumes.length > 0) {
    notes.push({ service: service.name, message: `its volumes (${service.volumes.map((v) => v.target).join(', ')}) are folders of this machine, which a cluster does not have: none generated; put the files in the image, or mount a ConfigMap or a PersistentVolumeClaim` })
  }
  const initContainers: IContainer[] = input.waitFor.map((target, i) => ({
    name: prefixedLabel(`wait-${i + 1}`, target.service),
    image: input.waitImage,
    // a Service passes connections only to ready pods: one accepted means the dependency is ready
    command: ['sh', '-c', `until nc -z -w 2 ${target.host} ${target.port}; do echo "waiting for ${target.service} (${target.host}:${target.port})"; sleep 2; done`],
  }))
  return {
    metadata: { labels: objectMeta(input.naming, service.name, service.name).labels, annotations: { [ENV_DIGEST_ANNOTATION]: input.envDigest } },
    spec: {
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [container],
      restartPolicy: input.restartPolicy,
      terminationGracePeriodSeconds: Math.ceil(service.stopGracePeriodMs / 1000),
    },
  }
}
