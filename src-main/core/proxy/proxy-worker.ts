// The thread engine's host: a worker thread that runs RoundRobinProxy instances
// (proxy-thread.ts) for any number of bindings, asked and answered by message.
import { Worker } from 'node:worker_threads'
import type { ProxyBackend } from '../proxy-types'
import { helperEntry } from '../helper-entry'
import { ChannelHost } from './channel-host'
import type { OpenRequest } from './engine-host'
import type { FromProxyThread, ToProxyThread } from './worker-protocol'

export class ProxyWorker extends ChannelHost<FromProxyThread> {
  readonly worker: Worker

  constructor(onGone: (thread: ProxyWorker) => void) {
    super((host) => onGone(host as ProxyWorker))
    const entry = helperEntry('proxy-thread')
    if (!entry) throw new Error('the proxy thread is not built (npm run build)')
    this.worker = new Worker(entry, { name: 'micronetes proxy' })
    // the proxies are no reason to keep the process alive; the orchestrator's stop closes them
    this.worker.unref()
    this.worker.on('message', (message: FromProxyThread) => this.receive(message))
    this.worker.on('error', (error) => this.fail(new Error(`the proxy thread failed: ${error.message}`)))
    this.worker.on('exit', (code) => this.fail(new Error(`the proxy thread exited (code ${code})`)))
  }

  protected async listen(id: number, { options, sharing, turns }: OpenRequest): Promise<{ id: number; port: number }> {
    const answer = await this.ask(`listen:${id}`, () => this.post({ type: 'listen', id, options, sharing, turns }))
    if (answer.type === 'listen-failed') throw new Error(answer.message)
    return { id, port: answer.type === 'listening' ? answer.port : options.port }
  }

  protected sendBackends(id: number, backends: ProxyBackend[]): void {
    this.post({ type: 'backends', id, backends })
  }

  protected sendRequest(kind: 'stats' | 'close', id: number): void {
    this.post({ type: kind, id })
  }

  protected stop(): void {
    void this.worker.terminate()
  }

  private post(message: ToProxyThread): void {
    this.worker.postMessage(message)
  }

  private receive(message: FromProxyThread): void {
    if (message.type === 'stats') this.reported(message.id, message.stats)
    const kind = message.type === 'listening' || message.type === 'listen-failed' ? 'listen' : message.type === 'closed' ? 'close' : 'stats'
    this.answered(`${kind}:${message.id}`, message)
  }
}
