// The ReplicaRunner for `dockerImage` services: one container per replica on the engine that
// DOCKER_HOST names. The orchestrator owns lifecycle, restarts and the proxy; this only
// launches, reports lines and exits, stops, and cleans up what its run made.
import type Docker from 'dockerode'
import type { Application } from '../../../src-shared/app-model'
import { singleLine } from '../line-splitter'
import type { ReplicaHandle, ReplicaLaunch, ReplicaRunner } from '../runner'
import { ApplicationNetwork, needsNetwork, networkName } from './app-network'
import { startContainer } from './container-replica'
import { containerSpec } from './container-spec'
import { connectToEngine, engineAddress, type EngineAddress } from './engine-address'
import { describeEngineError, EngineUnreachableError, engineReason, isUnreachable } from './engine-errors'
import { hostGatewayAddresses } from './host-gateway'
import { HostRelays } from './host-relay'
import { SharedImageBuilds } from './image-build'
import { SharedImagePulls } from './image-pull'
import { LABEL, newRun, runLabels } from './labels'
import { reapLeftovers } from './leftovers'

export interface DockerRunnerOptions {
  /** an engine address like DOCKER_HOST's; default: DOCKER_HOST, else the local socket */
  dockerHost?: string
}

/** long enough for an engine on another machine, short enough that a dead one is noticed */
const PING_TIMEOUT_MS = 10_000

// dockerode's ping accepts an abort signal; its type declarations do not say so
interface AbortablePing {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>
}

export function createDockerRunner(options: DockerRunnerOptions = {}): ReplicaRunner {
  return new DockerRunner(options)
}

class DockerRunner implements ReplicaRunner {
  readonly kind = 'container' as const
  private readonly run = newRun()
  private readonly address: EngineAddress | Error
  private client: Docker | undefined
  private readonly images = new SharedImagePulls()
  private readonly builds = new SharedImageBuilds()
  private readonly relays = new HostRelays(() => this.hostAddresses())
  private network: ApplicationNetwork | undefined
  /**
   * What reapLeftovers removed, told again in the log of the first container launched: a
   * runner has no log of its own, and a user should see it where the replicas' lines are.
   */
  private untold: string[] = []

  constructor(options: DockerRunnerOptions) {
    try {
      this.address = engineAddress(options.dockerHost)
    } catch (error) {
      // a malformed DOCKER_HOST fails the container services, not the whole application
      this.address = error as Error
    }
  }

  /** the engine address as text, e.g. unix:///var/run/docker.sock */
  get engine(): string {
    return this.address instanceof Error ? 'DOCKER_HOST' : this.address.text
  }

  async launch(launch: ReplicaLaunch): Promise<ReplicaHandle> {
    const { application, service } = launch
    const image = service.image
    if (!image) throw new Error(`service ${service.name}: no dockerImage to run`)
    const docker = await this.reach()
    const system = (text: string): void => launch.onLines('system', singleLine(text))
    for (const notice of this.untold.splice(0)) system(notice)
    const prepared = service.dockerBuild ? this.builds.ensure(docker, image, service.dockerBuild, system) : this.images.ensure(docker, image, system)
    await prepared.catch((error: unknown) => {
      throw describeEngineError(this.engine, `cannot use image ${image}`, error)
    })

    const labels = runLabels(application, this.run)
    let network: string | undefined
    if (needsNetwork(application)) {
      this.network ??= new ApplicationNetwork(docker, networkName(application, this.run), labels, application.network !== undefined)
      network = await this.network.ensure().catch((error: unknown) => {
        throw describeEngineError(this.engine, `cannot create network for ${application.name}`, error)
      })
    }

    await this.relays.ensureFor(launch.hostPorts ?? [])
    const spec = containerSpec(launch, { name: `${launch.replicaName}.${this.run.runId}`, labels, network })
    return startContainer({
      docker,
      engine: this.engine,
      spec,
      replicaName: launch.replicaName,
      onLines: launch.onLines.bind(launch),
    })
  }

  async reapLeftovers(application: Application): Promise<string[]> {
    let docker: Docker
    try {
      docker = await this.reach()
    } catch (error) {
      // launching will say so for every container service; nothing can be left over on it now
      return [`did not look for containers left by earlier runs: ${(error as Error).message}`]
    }
    try {
      const messages = await reapLeftovers(docker, application, this.run)
      this.untold.push(...messages)
      return messages
    } catch (error) {
      const message = `could not remove what earlier runs of ${application.source} left: ${engineReason(error)}`
      this.untold.push(message)
      return [message]
    }
  }

  async dispose(): Promise<void> {
    await this.relays.close()
    const docker = this.client
    if (!docker) return
    // replicas are stopped by now; anything of this run still there is removed regardless
    try {
      const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.run}=${this.run.runId}`] } })
      await Promise.all(left.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined)))
      await this.network?.remove()
    } catch (error) {
      if (!isUnreachable(error)) throw error
    }
  }

  async hostAddresses(): Promise<string[]> {
    if (this.address instanceof Error) return []
    const local = this.address.text.startsWith('unix://') || /^tcp:\/\/(127\.0\.0\.1|localhost):/.test(this.address.text)
    try {
      return await hostGatewayAddresses(await this.reach(), local)
    } catch {
      return []
    }
  }

  private async reach(): Promise<Docker> {
    if (this.address instanceof Error) throw this.address
    const docker = (this.client ??= connectToEngine(this.address))
    try {
      await (docker as unknown as AbortablePing).ping({ abortSignal: AbortSignal.timeout(PING_TIMEOUT_MS) })
    } catch (error) {
      throw new EngineUnreachableError(this.address.text, error)
    }
    return docker
  }
}
