// The thread engine: every binding's proxy runs off the orchestrator's event loop, on the
// pool's threads (proxy-worker.ts): one thread where the runtime cannot share a listening port,
// else one per core (up to 4), each listening on the binding port itself (shared-port.ts). A
// thread starts with its first proxy and ends with its last; a worker thread dies with its
// process, so no proxy can outlive the orchestrator and hold a port. Recovery and counters:
// recovering-proxy.ts, as for the native relay.
import type { Worker } from 'node:worker_threads'
import type { BindingProxy, ProxyOptions } from '../proxy-types'
import { ProxyWorker } from './proxy-worker'
import { openRecoveringProxy, type ProxyEngineDriver } from './recovering-proxy'
import { proxyThreadCount } from './shared-port'

/** the pool: a thread per slot, started when a proxy first needs the slot */
const slots: (ProxyWorker | undefined)[] = []

function threadIn(slot: number): ProxyWorker {
  let thread = slots[slot]
  if (!thread) {
    thread = new ProxyWorker((gone) => {
      if (slots[slot] === gone) slots[slot] = undefined
    })
    slots[slot] = thread
  }
  return thread
}

const threadEngine: ProxyEngineDriver = {
  name: 'threads',
  slots: (options) => proxyThreadCount(options.threads),
  hostIn: threadIn,
}

export function openThreadProxy(options: ProxyOptions): Promise<BindingProxy> {
  return openRecoveringProxy(threadEngine, options)
}

/** the running proxy threads (tests use them to check the pool and recovery) */
export function proxyWorkers(): Worker[] {
  return slots.flatMap((thread) => (thread ? [thread.worker] : []))
}
