// An ingress as the orchestrator keeps it: its ports, the HTTP server once started, a log of
// the requests it routed, and the status it shows beside the services (Tye's clients list an
// ingress as a service of type "ingress"). It has one replica, itself, with no process of its own.
import type { Ingress } from '../../../src-shared/app-model'
import type { LogLine, ReplicaStatus, ServiceStatus } from '../../../src-shared/status'
import { singleLine } from '../line-splitter'
import type { LogRun } from '../logs/log-run'
import { DEFAULT_LOG_CAPACITY, DEFAULT_LOG_CHARS, LogBuffer } from '../log-buffer'
import type { PortBook } from '../port-book'
import type { PortClaim } from '../ports'
import { replicaName } from '../replica-names'
import { startIngress, type IngressTarget, type ListeningIngress } from './ingress-server'

type IngressState = 'stopped' | 'ready' | 'failed'

export class IngressEntry {
  readonly logs: LogBuffer
  private readonly replica: string
  private listening: ListeningIngress | undefined
  private state: IngressState = 'stopped'
  private message: string | undefined
  private startedAt: number | undefined
  /** the ports it listens on, one per binding, once published */
  ports: number[] = []

  constructor(
    readonly ingress: Ingress,
    suffix: string,
  ) {
    this.replica = replicaName(ingress.name, suffix, 1)
    this.logs = new LogBuffer(ingress.name, this.replica, DEFAULT_LOG_CAPACITY, DEFAULT_LOG_CHARS)
  }

  get name(): string {
    return this.ingress.name
  }

  /** its ports as written, or free ones from the book; `taken` holds ports the file gives others */
  async publish(taken: Set<number>, book: PortBook): Promise<void> {
    this.ports = []
    for (const binding of this.ingress.bindings) this.ports.push(binding.port ?? (await book.freePort(taken)))
  }

  claims(): PortClaim[] {
    return this.ports.map((port, i) => ({ port, service: this.ingress.name, ...(this.ingress.bindings[i]?.name ? { binding: this.ingress.bindings[i]!.name } : {}) }))
  }

  /** its log lines reach onRun as replicas' do: each a run of one line */
  async start(target: (service: string) => IngressTarget | undefined, onRun: (run: LogRun) => void): Promise<void> {
    const log = (stream: LogLine['stream'], text: string) => onRun(this.logs.pushLines(stream, singleLine(text)))
    try {
      this.listening = await startIngress({ ingress: this.ingress, target, log }, this.ports)
    } catch (error) {
      this.state = 'failed'
      this.message = (error as Error).message
      log('system', this.message)
      throw error
    }
    this.ports = this.listening.ports
    this.state = 'ready'
    this.startedAt = Date.now()
    log('system', `ingress ${this.ingress.name} routing on ${this.ports.map((p) => `http://localhost:${p}`).join(', ')}`)
  }

  async stop(): Promise<void> {
    const listening = this.listening
    this.listening = undefined
    await listening?.close()
    if (this.state === 'ready') this.state = 'stopped'
  }

  status(): ServiceStatus {
    const replica: ReplicaStatus = {
      name: this.replica,
      service: this.ingress.name,
      ordinal: 1,
      state: this.state,
      ports: [...this.ports],
      exitCode: null,
      restarts: 0,
      commandLine: [],
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.message !== undefined ? { message: this.message } : {}),
    }
    return {
      name: this.ingress.name,
      kind: 'ingress',
      replicas: 1,
      state: this.state === 'ready' ? 'running' : this.state,
      restarts: 0,
      bindings: this.ingress.bindings.map((b, i) => ({ ...(b.name !== undefined ? { name: b.name } : {}), port: this.ports[i] ?? b.port ?? 0, host: 'localhost', protocol: 'http' })),
      args: [],
      replicaStatuses: [replica],
      ...(this.message !== undefined ? { message: this.message } : {}),
      ingressRules: this.ingress.rules.map((r) => ({ ...r })),
    }
  }
}
