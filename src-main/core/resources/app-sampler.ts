// The sampler of one running application: what it samples, read from the orchestrator's
// service entries at each turn (replicas come and go with scaling and restarts).
import type { ResourceSample } from '../../../src-shared/resources'
import { sortedReplicas, type ServiceEntry } from '../service-entry'
import { createContainerMeter, type ContainerMeter } from './container-meter'
import type { ProcessMeter } from './process-meter'
import { ResourceSampler, type SampledReplica } from './sampler'
import type { SampledBinding } from './traffic'
import { Watchers } from './watchers'

export interface SamplingOptions {
  /** false: no timer; figures are read only when asked (the benchmark's baseline) */
  enabled?: boolean
  intervalMs?: number
  idleIntervalMs?: number
  historyMs?: number
  processMeter?: ProcessMeter
  containerMeter?: () => ContainerMeter
}

const ENDED = new Set(['stopped', 'crashed', 'backoff', 'failed'])

export function createAppSampler(
  entries: () => Iterable<ServiceEntry>,
  watchers: Watchers | undefined,
  options: SamplingOptions,
  onSample: (sample: ResourceSample) => void,
): ResourceSampler {
  return new ResourceSampler({
    watchers: watchers ?? new Watchers(),
    replicas: () => {
      const out: SampledReplica[] = []
      for (const entry of entries()) {
        for (const { supervisor } of sortedReplicas(entry)) {
          const pid = supervisor.processId
          const replica: SampledReplica = {
            service: entry.service.name,
            name: supervisor.name,
            alive: !ENDED.has(supervisor.currentState),
            restarts: supervisor.restartCount,
            ready: supervisor.currentState === 'ready',
            probeFailures: supervisor.probeFailures,
          }
          if (supervisor.startTime !== undefined) replica.startTime = supervisor.startTime
          if (entry.service.kind === 'container') {
            const id = supervisor.status().containerId
            if (id !== undefined) replica.containerId = id
          } else if (pid !== undefined) replica.pid = pid
          out.push(replica)
        }
      }
      return out
    },
    bindings: () => {
      const out: SampledBinding[] = []
      for (const entry of entries()) {
        entry.proxies.forEach((proxy, i) => {
          const binding = entry.bindings[i]
          const sampled: SampledBinding = { service: entry.service.name, port: binding?.port ?? proxy.port, proxy }
          if (binding?.name !== undefined) sampled.binding = binding.name
          out.push(sampled)
        })
      }
      return out
    },
    ...(options.processMeter ? { processMeter: options.processMeter } : {}),
    containerMeter:
      options.containerMeter ??
      (() =>
        createContainerMeter(async () => {
          // the engine DOCKER_HOST names, as the Docker runner's default; loaded only for containers
          const { connectToEngine, engineAddress } = await import('../docker/engine-address')
          return connectToEngine(engineAddress())
        })),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.idleIntervalMs !== undefined ? { idleIntervalMs: options.idleIntervalMs } : {}),
    ...(options.historyMs !== undefined ? { historyMs: options.historyMs } : {}),
    onSample,
  })
}
