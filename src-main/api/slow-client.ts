// A streaming answer (events, followed logs) to a client that may read slower than the
// application talks. Writing never waits: past `highWaterBytes` queued in the socket the
// stream skips what comes, counts it, and tells the client once the socket drained. A client
// that stays stuck for `maxStuckMs` is dropped, so a dead reader holds no memory.
import type { ServerResponse } from 'node:http'

export interface SlowClientOptions {
  highWaterBytes?: number
  maxStuckMs?: number
  /** the text that tells the client what it missed */
  skippedNote(count: number): string
  /** called once when the client is dropped for being stuck */
  onDropped?(): void
}

export class SlowClientGate {
  private skipped = 0
  private stuckSince: number | undefined
  private dropped = false
  private readonly highWaterBytes: number
  private readonly maxStuckMs: number

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SlowClientOptions,
  ) {
    this.highWaterBytes = options.highWaterBytes ?? 1024 * 1024
    this.maxStuckMs = options.maxStuckMs ?? 30_000
    res.on('drain', () => this.flushNote())
  }

  get skippedCount(): number {
    return this.skipped
  }

  /** false when the chunk was skipped (or the client is gone) */
  write(chunk: string): boolean {
    if (this.dropped || this.res.destroyed || this.res.writableEnded) return false
    if (this.res.writableLength >= this.highWaterBytes) {
      this.skipped++
      const now = Date.now()
      this.stuckSince ??= now
      if (now - this.stuckSince > this.maxStuckMs) this.drop()
      return false
    }
    this.flushNote()
    this.res.write(chunk)
    return true
  }

  private flushNote(): void {
    if (this.skipped === 0 || this.dropped) return
    const note = this.options.skippedNote(this.skipped)
    this.skipped = 0
    this.stuckSince = undefined
    this.res.write(note)
  }

  private drop(): void {
    this.dropped = true
    this.options.onDropped?.()
    this.res.destroy()
  }
}
