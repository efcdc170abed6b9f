// Runs one probe of one launch of a replica: waits initialDelay, checks every period, and
// counts passes and failures in a row against the thresholds. A readiness probe starts
// unhealthy (nothing is ready before it says so); a liveness probe starts healthy.
import type { Probe } from '../../../src-shared/app-model'
import type { ProbeResult } from '../../../src-shared/status'
import { seconds, type CheckResult } from './check-result'

export interface ProbeRunnerOptions {
  probe: Probe
  /**
   * Liveness: healthy before the first check, and failures only count once a check has
   * passed, so a replica still starting up is not killed over and over before it can answer.
   */
  liveness: boolean
  check(): Promise<CheckResult>
  /** every check, with the failures in a row so far */
  onResult(result: ProbeResult): void
  /** successThreshold passes in a row after being unhealthy */
  onHealthy(result: ProbeResult): void
  /** failureThreshold failures in a row after being healthy */
  onUnhealthy(result: ProbeResult): void
}

export class ProbeRunner {
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private wake: (() => void) | undefined
  private passes = 0
  private failures = 0
  private passedOnce = false
  healthy: boolean

  constructor(private readonly options: ProbeRunnerOptions) {
    this.healthy = options.liveness
  }

  start(): void {
    void this.loop()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.wake?.()
  }

  private async loop(): Promise<void> {
    const { probe } = this.options
    await this.sleep(probe.initialDelayMs)
    while (!this.stopped) {
      const outcome = await this.checkWithin(probe.timeoutMs)
      if (this.stopped) return
      this.count(outcome)
      await this.sleep(probe.periodMs)
    }
  }

  /** a check that ignores its own timeout (a stuck exec, a hung engine) still counts as failed */
  private checkWithin(timeoutMs: number): Promise<CheckResult> {
    // a little beyond the check's own limit, so its message (which says more) wins when it keeps it
    const limit = timeoutMs + 250
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, message: `no answer within ${seconds(timeoutMs)}` }), limit)
      this.options.check().then(
        (result) => {
          clearTimeout(timer)
          resolve(result)
        },
        (err: unknown) => {
          clearTimeout(timer)
          resolve({ ok: false, message: err instanceof Error ? err.message : String(err) })
        },
      )
    })
  }

  private count(outcome: CheckResult): void {
    const { probe } = this.options
    if (outcome.ok) {
      this.passedOnce = true
      this.passes++
      this.failures = 0
    } else {
      this.failures++
      this.passes = 0
    }
    const result: ProbeResult = { ok: outcome.ok, message: outcome.message, at: Date.now(), failures: this.failures }
    this.options.onResult(result)
    if (!this.healthy && this.passes >= probe.successThreshold) {
      this.healthy = true
      this.options.onHealthy(result)
    } else if (this.healthy && this.failures >= probe.failureThreshold && (this.passedOnce || !this.options.liveness)) {
      this.healthy = false
      this.options.onUnhealthy(result)
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      this.wake = resolve
      this.timer = setTimeout(resolve, ms)
      this.timer.unref()
    })
  }
}
