// One replica as one container: created, attached, started, waited on, stopped and removed.
// A container that exits by itself is removed too, once its last log line is in, so restarts
// never pile up stopped containers.
import type Docker from 'dockerode'
import type { ReplicaExit, ReplicaHandle, ReplicaLaunch } from '../runner'
import { describeEngineError, engineReason, statusOf } from './engine-errors'
import { execInContainer } from './container-exec'
import { singleLine } from '../line-splitter'
import { attachLines } from './log-stream'

/** how long an exited container's log stream may take to drain before it is removed anyway */
const LOG_DRAIN_MS = 2000

export interface ContainerStart {
  docker: Docker
  /** the engine's address, for messages */
  engine: string
  spec: Docker.ContainerCreateOptions
  replicaName: string
  onLines: ReplicaLaunch['onLines']
}

export async function startContainer(start: ContainerStart): Promise<ReplicaHandle> {
  const { docker, engine, spec, replicaName, onLines } = start
  const container = await create(docker, spec).catch((error: unknown) => {
    throw describeEngineError(engine, `cannot create container for ${replicaName}`, error)
  })
  try {
    const info = await container.inspect()
    const commandLine = [...(info.Config.Entrypoint ?? []), ...(info.Config.Cmd ?? [])]
    const logs = await attachLines(container, onLines)
    await container.start()
    return new ContainerReplica(container, commandLine, info.Config.WorkingDir || undefined, logs.drained, onLines)
  } catch (error) {
    await removeQuietly(container)
    throw describeEngineError(engine, `cannot start container for ${replicaName}`, error)
  }
}

async function create(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  try {
    return await docker.createContainer(spec)
  } catch (error) {
    // the name carries the run id: a container by that name is this run's own, from an
    // earlier launch of the same replica whose removal did not finish
    if (statusOf(error) !== 409 || !spec.name) throw error
    await removeQuietly(docker.getContainer(spec.name))
    return docker.createContainer(spec)
  }
}

/** true when the container is gone or going; false when the engine could not be asked */
async function removeQuietly(container: Docker.Container): Promise<boolean> {
  try {
    await container.remove({ force: true, v: true })
    return true
  } catch (error) {
    // 404: gone already; 409: being removed already
    return statusOf(error) === 404 || statusOf(error) === 409
  }
}

class ContainerReplica implements ReplicaHandle {
  readonly containerId: string
  readonly exited: Promise<ReplicaExit>
  private stopping: Promise<ReplicaExit> | undefined

  constructor(
    private readonly container: Docker.Container,
    readonly commandLine: string[],
    readonly workingDirectory: string | undefined,
    logsDone: Promise<void>,
    private readonly onLines: ReplicaLaunch['onLines'],
  ) {
    this.containerId = container.id
    this.exited = this.watch(logsDone)
  }

  private async watch(logsDone: Promise<void>): Promise<ReplicaExit> {
    let exit: ReplicaExit
    try {
      const result = (await this.container.wait()) as { StatusCode: number }
      exit = { exitCode: result.StatusCode, signal: null }
    } catch (error) {
      this.system(`lost track of container ${this.containerId.slice(0, 12)}: ${engineReason(error)}`)
      exit = { exitCode: null, signal: null }
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([logsDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, LOG_DRAIN_MS)))])
    clearTimeout(timer)
    await removeQuietly(this.container)
    return exit
  }

  private system(text: string): void {
    this.onLines('system', singleLine(text))
  }

  stop(graceMs: number): Promise<ReplicaExit> {
    this.stopping ??= this.stopThenRemove(graceMs)
    return this.stopping
  }

  exec(command: string[], timeoutMs: number): Promise<{ ok: boolean; message: string }> {
    return execInContainer(this.container, command, timeoutMs)
  }

  private async stopThenRemove(graceMs: number): Promise<ReplicaExit> {
    try {
      // the engine sends SIGTERM, waits t seconds, then SIGKILL
      await this.container.stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) })
    } catch (error) {
      const status = statusOf(error)
      // 304: stopped already; 404: removed already (it exited and was cleaned up)
      if (status !== 304 && status !== 404) {
        this.system(`docker stop failed (${engineReason(error)}): removing the container by force`)
        if (!(await removeQuietly(this.container))) {
          // the engine is gone: nothing will ever report this container's exit
          this.system(`could not remove container ${this.containerId.slice(0, 12)}: it may still be running on the engine`)
          return { exitCode: null, signal: null }
        }
      }
    }
    return this.exited
  }
}
