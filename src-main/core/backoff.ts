// Restart delays for a crashing replica: exponential, capped, and forgiven after the
// replica has run stably for a while, so a crash loop never spins the CPU and a rare
// crash restarts quickly.
export interface BackoffOptions {
  initialMs: number
  maxMs: number
  /** a run at least this long resets the delay to initialMs */
  resetAfterMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 10_000 }

export class Backoff {
  private nextMs: number

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {
    this.nextMs = options.initialMs
  }

  /** the delay before the next restart, given how long the last run lasted */
  next(ranForMs: number): number {
    if (ranForMs >= this.options.resetAfterMs) this.nextMs = this.options.initialMs
    const delay = this.nextMs
    this.nextMs = Math.min(this.nextMs * 2, this.options.maxMs)
    return delay
  }

  reset(): void {
    this.nextMs = this.options.initialMs
  }
}
