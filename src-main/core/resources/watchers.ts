// Whether anyone is looking at the running application: an open event stream or dashboard
// holds a watch, a metrics request counts for a while. The sampler reads it to choose its pace.
export class Watchers {
  private held = 0
  private until = 0
  private listeners = new Set<() => void>()

  /** someone looks until the returned function is called */
  hold(): () => void {
    this.held++
    if (this.held === 1) this.changed()
    let released = false
    return () => {
      if (released) return
      released = true
      this.held--
    }
  }

  /** someone looked now and may look again within `ms` (a metrics scrape) */
  touch(ms: number): void {
    const wasActive = this.active
    this.until = Math.max(this.until, Date.now() + ms)
    if (!wasActive) this.changed()
  }

  get active(): boolean {
    return this.held > 0 || Date.now() < this.until
  }

  /** told when someone starts looking */
  onLook(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }
}
