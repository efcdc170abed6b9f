// What the engine is asked to create for one replica. Pure: from a launch and a few facts
// about the run to the engine's create request, so it can be read and tested on its own.
import type Docker from 'dockerode'
import { listeningBindings, type Service } from '../../../src-shared/app-model'
import { CONTAINER_HOST_ALIAS } from '../discovery-env'
import type { ReplicaLaunch } from '../runner'
import { LABEL } from './labels'

export interface PublishedPort {
  /** the port inside the container */
  containerPort: number
  /** the internal host port the proxy connects to, on 127.0.0.1 */
  hostPort: number
}

export interface ContainerPlan {
  name: string
  /** the run's labels; the replica's own are added here */
  labels: Record<string, string>
  /** the application's network, when it has one */
  network?: string
}

/**
 * One published port per binding, inside the container: containerPort, else the binding
 * port, else what the replica's PORT variable tells it to listen on (a binding without a
 * port is assigned one at start), else the host port itself.
 */
export function publishedPorts(service: Service, ports: number[], env: Record<string, string> = {}): PublishedPort[] {
  const bindings = listeningBindings(service)
  if (ports.length < bindings.length) {
    throw new Error(`service ${service.name}: ${bindings.length} binding(s) but ${ports.length} internal port(s) given`)
  }
  const listening = (env.PORT ?? '').split(';').map((text) => Number(text))
  return bindings.map((binding, index) => {
    const hostPort = ports[index] as number
    const told = listening[index]
    const fromEnv = told !== undefined && Number.isInteger(told) && told > 0 && told < 65536 ? told : undefined
    return { containerPort: binding.containerPort ?? binding.port ?? fromEnv ?? hostPort, hostPort }
  })
}

export function containerSpec(launch: ReplicaLaunch, plan: ContainerPlan): Docker.ContainerCreateOptions {
  const { service } = launch
  if (!service.image) throw new Error(`service ${service.name}: no dockerImage to run`)

  const exposed: Record<string, object> = {}
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const { containerPort, hostPort } of publishedPorts(service, launch.ports, launch.env)) {
    const key = `${containerPort}/tcp`
    exposed[key] = {}
    // two bindings on one container port: publish it on every host port asked for
    ;(bindings[key] ??= []).push({ HostIp: '127.0.0.1', HostPort: String(hostPort) })
  }

  const spec: Docker.ContainerCreateOptions = {
    name: plan.name,
    Image: service.image,
    Env: Object.entries(launch.env).map(([key, value]) => `${key}=${value}`),
    Labels: { ...plan.labels, [LABEL.service]: service.name, [LABEL.replica]: launch.replicaName },
    ExposedPorts: exposed,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      PortBindings: bindings,
      // busybox and many other programs ignore SIGTERM as PID 1: an init forwards it
      Init: true,
      // a Linux engine knows no host.docker.internal unless told: host-gateway is the host's bridge address
      ExtraHosts: [`${CONTAINER_HOST_ALIAS}:host-gateway`],
      // a named volume (Tye's `name`) is created by the engine when missing and outlives the run
      Mounts: service.volumes.map((volume) => ({
        Type: volume.name !== undefined ? ('volume' as const) : ('bind' as const),
        Source: volume.name ?? volume.source ?? '',
        Target: volume.target,
        ReadOnly: volume.readOnly,
      })),
      // Micronetes restarts replicas itself, with backoff: the engine must not
      RestartPolicy: { Name: 'no' },
    },
  }
  if (service.args.length > 0) spec.Cmd = service.args
  if (service.workingDirectory) spec.WorkingDir = service.workingDirectory
  if (plan.network) {
    spec.HostConfig = { ...spec.HostConfig, NetworkMode: plan.network }
    spec.NetworkingConfig = { EndpointsConfig: { [plan.network]: { Aliases: [service.name] } } }
  }
  return spec
}
