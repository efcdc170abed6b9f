// The probes of one launch of a replica: readiness (when app.yaml gives one) and liveness,
// each resolved to the port or command it checks. The supervisor starts one per launch and
// stops it when that launch ends; it decides what a result means for the replica's state.
import type { Probe, ProbeCheck, Service } from '../../../src-shared/app-model'
import type { ProbeResult } from '../../../src-shared/status'
import type { ReplicaHandle } from '../runner'
import type { CheckResult } from './check-result'
import { execCheck } from './exec-probe'
import { httpCheck } from './http-probe'
import { ProbeRunner } from './probe-runner'
import { tcpCheck } from './tcp-probe'

/** how much of a log line a log probe's pattern reads */
const LOG_MATCH_CHARS = 2048

export interface ReplicaHealthOptions {
  service: Service
  /** the replica's own ports, one per binding */
  ports: number[]
  env: Record<string, string>
  handle: ReplicaHandle
  /** containers: how long an accepted connection must stay open to count (see readiness.ts) */
  holdMs: number
  onResult(probe: 'readiness' | 'liveness', result: ProbeResult): void
  onReady(result: ProbeResult): void
  onUnready(result: ProbeResult): void
  onLivenessFailed(result: ProbeResult): void
}

export class ReplicaHealth {
  private readonly runners: ProbeRunner[] = []
  private logPattern: RegExp | undefined
  private logMatched = false

  constructor(private readonly options: ReplicaHealthOptions) {}

  start(): void {
    const { service } = this.options
    if (service.readiness) this.startReadiness(service.readiness)
    if (service.liveness) {
      this.add(service.liveness, true, 'liveness', {
        onHealthy: () => {},
        onUnhealthy: (result) => this.options.onLivenessFailed(result),
      })
    }
  }

  stop(): void {
    for (const runner of this.runners.splice(0)) runner.stop()
    this.logPattern = undefined
  }

  /** every output line of this launch, for a log readiness probe */
  line(text: string): void {
    // a pattern that backtracks badly costs with the length of what it reads: a log line may be
    // 16 KiB, the start of one says whether a service is up
    if (!this.logPattern || this.logMatched || !this.logPattern.test(text.length > LOG_MATCH_CHARS ? text.slice(0, LOG_MATCH_CHARS) : text)) return
    this.logMatched = true
    const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text
    const result: ProbeResult = { ok: true, message: `log line matched /${this.logPattern.source}/: ${shown}`, at: Date.now(), failures: 0 }
    this.options.onResult('readiness', result)
    this.options.onReady(result)
  }

  get watchesLines(): boolean {
    return this.logPattern !== undefined && !this.logMatched
  }

  private startReadiness(probe: Probe): void {
    if (probe.check.kind === 'log') {
      // ready once, for the life of this launch: a line seen stays seen
      this.logPattern = new RegExp(probe.check.pattern)
      return
    }
    this.add(probe, false, 'readiness', {
      onHealthy: (result) => this.options.onReady(result),
      onUnhealthy: (result) => this.options.onUnready(result),
    })
  }

  private add(probe: Probe, liveness: boolean, which: 'readiness' | 'liveness', on: { onHealthy(r: ProbeResult): void; onUnhealthy(r: ProbeResult): void }): void {
    const runner = new ProbeRunner({
      probe,
      liveness,
      check: () => this.check(probe.check, probe.timeoutMs),
      onResult: (result) => this.options.onResult(which, result),
      ...on,
    })
    this.runners.push(runner)
    runner.start()
  }

  private check(check: ProbeCheck, timeoutMs: number): Promise<CheckResult> {
    switch (check.kind) {
      case 'http':
        return httpCheck({ port: this.portOf(check), path: check.path, scheme: check.scheme, headers: check.headers, timeoutMs })
      case 'tcp':
        return tcpCheck(this.portOf(check), this.options.holdMs)
      case 'exec': {
        const { handle } = this.options
        if (handle.exec) return handle.exec(check.command, timeoutMs)
        return execCheck({ command: check.command, cwd: handle.workingDirectory ?? this.options.service.workingDirectory, env: this.options.env, timeoutMs })
      }
      case 'log':
        return Promise.resolve({ ok: this.logMatched, message: 'waiting for a matching log line' })
    }
  }

  /** a fixed port, or this replica's port of the binding named (the default binding when none is) */
  private portOf(check: { binding?: string; port?: number }): number {
    if (check.port !== undefined) return check.port
    const index = this.options.service.bindings.findIndex((b) => b.name === check.binding)
    return this.options.ports[index] ?? this.options.ports[0] ?? 0
  }
}
