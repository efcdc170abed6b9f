// CPU and memory of container replicas, from the Docker engine's own accounting. A one-shot
// reading answers at once (a plain one waits a second for two readings of its own); CPU is
// then the growth of the container's CPU time between this meter's own readings.
import type Docker from 'dockerode'
import type { Usage } from './process-meter'

export interface ContainerMeter {
  /** by container id; a container that cannot be read has no entry */
  measure(ids: string[]): Promise<Map<string, Usage>>
  close(): void
}

/** the parts of an engine answer read here (cgroup v1 and v2 name the page cache differently) */
interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } }
  memory_stats?: { usage?: number; stats?: Record<string, number> }
}

/** longest wait for one container's figures: a busy engine skips a turn rather than stall the next */
const READ_TIMEOUT_MS = 3000

export function createContainerMeter(connect: () => Promise<Docker>): ContainerMeter {
  let engine: Promise<Docker> | undefined
  let previous = new Map<string, { cpuNanos: number; at: number }>()

  const read = async (docker: Docker, id: string): Promise<EngineStats | undefined> => {
    const signal = AbortSignal.timeout(READ_TIMEOUT_MS)
    // dockerode passes the options as the query and honours abortSignal; its types know neither together
    const options = { stream: false, 'one-shot': true, abortSignal: signal } as unknown as { stream: false; 'one-shot': boolean }
    return (await docker.getContainer(id).stats(options).catch(() => undefined)) as EngineStats | undefined
  }

  return {
    async measure(ids) {
      const out = new Map<string, Usage>()
      if (ids.length === 0) {
        previous.clear()
        return out
      }
      engine ??= connect()
      const docker = await engine.catch(() => {
        engine = undefined
        return undefined
      })
      if (!docker) return out
      const readings = await Promise.all(ids.map(async (id) => [id, await read(docker, id), performance.now()] as const))
      const next = new Map<string, { cpuNanos: number; at: number }>()
      for (const [id, stats, at] of readings) {
        const cpuNanos = stats?.cpu_stats?.cpu_usage?.total_usage
        const memory = stats?.memory_stats
        if (cpuNanos === undefined || memory?.usage === undefined) continue
        const before = previous.get(id)
        const seconds = before ? (at - before.at) / 1000 : 0
        const cpuPercent = before && seconds > 0 ? Math.max(0, ((cpuNanos - before.cpuNanos) / 1e9 / seconds) * 100) : 0
        // what `docker stats` shows: usage without the page cache the kernel can drop at will
        const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? 0
        out.set(id, { cpuPercent, memoryBytes: Math.max(0, memory.usage - cache) })
        next.set(id, { cpuNanos, at })
      }
      previous = next
      return out
    },
    close() {
      previous.clear()
      engine = undefined
    },
  }
}
