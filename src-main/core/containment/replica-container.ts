// What the process runner and the orphan guard need from whatever holds a replica's processes:
// start the replica inside it, tell whether anything of it is alive, signal all of it.

export interface ReplicaSpawn {
  file: string
  args: string[]
  /** Windows: args are one command line already quoted for cmd.exe */
  verbatim?: boolean
}

export interface ReplicaContainer {
  /** the cgroup directory, when the replica is in one: the orphan guard finds it again from there */
  readonly cgroupDir: string | undefined
  /**
   * The command to spawn so that the replica is inside before its first instruction runs.
   * file is a path (already searched in PATH), argv0 the name the replica sees as its own.
   */
  command(file: string, args: string[], argv0?: string): ReplicaSpawn
  /** the spawned leader: its pid (also its process group and session) and start time */
  started(pid: number, startTime?: number): void
  /** whether any process of the replica is alive (zombies do not count) */
  alive(): boolean
  /** sends a signal to every process of the replica; false when there was none */
  signal(signal: NodeJS.Signals): boolean
  /** SIGKILL to every process of the replica, forking ones included */
  kill(): Promise<void>
  /** lets go of what holds the replica once it is empty (removes its cgroup) */
  dispose(): void
}

export interface Containment {
  /** what holds replicas here: 'cgroup v2', 'cgroup v1', 'process tree', 'windows process tree' */
  readonly kind: string
  create(replicaName: string): ReplicaContainer
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** polls until nothing of the replica is alive or the time is up; true when empty */
export async function waitEmpty(container: ReplicaContainer, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  let interval = 10
  while (container.alive()) {
    if (Date.now() >= deadline) return false
    await delay(Math.min(interval, Math.max(1, deadline - Date.now())))
    interval = Math.min(interval * 2, 100)
  }
  return true
}

/** SIGTERM to all of it, SIGKILL after graceMs; resolves once it is empty or killWaitMs passed */
export async function stopContainer(container: ReplicaContainer, graceMs: number, killWaitMs: number): Promise<void> {
  if (!container.signal('SIGTERM')) return
  if (graceMs > 0 && (await waitEmpty(container, graceMs))) return
  await container.kill()
  await waitEmpty(container, killWaitMs)
}
