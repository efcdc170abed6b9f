// How the supervisor starts one replica, whatever runs it: a process group (process-runner)
// or a Docker container (docker-runner). The supervisor owns lifecycle, restarts and backoff;
// a runner only launches, reports output and exit, and stops what it launched.
import type { Application, Service } from '../../src-shared/app-model'
import type { LogLine } from '../../src-shared/status'
import type { LineBatch } from './line-splitter'

export interface ReplicaLaunch {
  application: Application
  service: Service
  /** e.g. web_3f9a1c2b-1 */
  replicaName: string
  /** the replica's ordinal within its service, 1-based */
  ordinal: number
  /** one internal host port per binding, in binding order */
  ports: number[]
  /** the complete environment the replica gets (parent env, service env, discovery) */
  env: Record<string, string>
  /** containers: the host ports its discovery variables point at through host.docker.internal */
  hostPorts?: readonly number[]
  /**
   * The replica's output, a batch of complete lines at a time (a pipe read), long lines already
   * cut; Micronetes' own messages about the replica come as a one-line 'system' batch.
   */
  onLines(stream: LogLine['stream'], batch: LineBatch): void
}

export interface ReplicaExit {
  exitCode: number | null
  signal: string | null
}

export interface ReplicaHandle {
  pid?: number
  containerId?: string
  commandLine: string[]
  workingDirectory?: string
  /** resolves once the replica is gone (process group empty, container stopped) */
  readonly exited: Promise<ReplicaExit>
  /** polite stop, then force after graceMs; resolves when gone and its ports are free */
  stop(graceMs: number): Promise<ReplicaExit>
  /**
   * Runs an exec probe's command where the replica runs (inside a container); absent for
   * processes, whose probe command runs beside them on this machine.
   */
  exec?(command: string[], timeoutMs: number): Promise<{ ok: boolean; message: string }>
}

export interface ReplicaRunner {
  /** which services it runs */
  readonly kind: 'process' | 'container'
  /** throws an Error whose message a person can act on (spawn failure, missing image, engine down) */
  launch(launch: ReplicaLaunch): Promise<ReplicaHandle>
  /** remove what earlier runs left behind; called before ports are published */
  reapLeftovers?(application: Application): Promise<string[]>
  /** after every replica stopped: remove networks and the like */
  dispose?(): Promise<void>
  /**
   * Addresses of this machine where this runner's replicas arrive when they call the host
   * (a Linux engine's host.docker.internal is the docker0 gateway, not loopback). Proxies
   * must listen there too, or such replicas cannot reach the other services. Empty when
   * loopback is enough or the engine is not reachable.
   */
  hostAddresses?(): Promise<string[]>
}
