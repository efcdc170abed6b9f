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
import { PortSharing } from './shared-port'

/** the pool of one runtime (runtime.ts): a thread per slot, started when a proxy first needs the slot */
export class ThreadPool {
  private readonly slots: (ProxyWorker | undefined)[] = []
  readonly sharing = new PortSharing()
  private readonly driver: ProxyEngineDriver = {
    name: 'threads',
    slots: (options) => this.sharing.threadCount(options.threads),
    hostIn: (slot) => this.threadIn(slot),
  }

  open(options: ProxyOptions): Promise<BindingProxy> {
    return openRecoveringProxy(this.driver, options)
  }

  /** the running proxy threads (tests use them to check the pool and recovery) */
  workers(): Worker[] {
    return this.slots.flatMap((thread) => (thread ? [thread.worker] : []))
  }

  private threadIn(slot: number): ProxyWorker {
    let thread = this.slots[slot]
    if (!thread) {
      thread = new ProxyWorker((gone) => {
        if (this.slots[slot] === gone) this.slots[slot] = undefined
      })
      this.slots[slot] = thread
    }
    return thread
  }
}
