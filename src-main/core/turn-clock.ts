// Date.now() once per turn of the event loop rather than once per batch of log lines: a
// flooding replica, or many replicas at once, deliver many chunks in one turn, and they are all
// read at the same moment anyway. One clock per orchestrator (the one that takes replicas' output).
export class TurnClock {
  private time = 0
  private valid = false
  private readonly expire = (): void => {
    this.valid = false
  }

  /** the time (ms since the epoch) at the start of the current job; exact to the turn */
  now(): number {
    if (!this.valid) {
      this.time = Date.now()
      this.valid = true
      queueMicrotask(this.expire)
    }
    return this.time
  }
}
