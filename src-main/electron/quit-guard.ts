// Quitting stops every replica and container first. Electron would quit at once, so the
// first quit is held back, the application stopped within a bounded time, and the app then
// exits for real; further quit requests while stopping are absorbed.
export interface QuitGuardOptions {
  /** stop whatever is running; resolves when everything is gone */
  stop(): Promise<void>
  /** after this the app exits anyway: a hung stop must not keep it open forever */
  timeoutMs: number
  /** past the bound: kill what is left at once (SIGKILL), so nothing outlives the app */
  forceStop?(): void
  /** app.exit: leaves without emitting before-quit again */
  exit(code: number): void
  onProgress?(message: string): void
}

export interface QuitGuard {
  /** for app.on('before-quit') */
  beforeQuit(event: { preventDefault(): void }): void
  readonly stopping: boolean
}

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  let phase: 'running' | 'stopping' | 'done' = 'running'

  async function stopThenExit(): Promise<void> {
    options.onProgress?.('Stopping the application before quitting…')
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
    })
    const stopped = options.stop().then(
      () => 'stopped' as const,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    )
    const outcome = await Promise.race([stopped, timedOut])
    clearTimeout(timer)
    phase = 'done'
    if (outcome === 'stopped') {
      options.onProgress?.('Stopped; quitting.')
      options.exit(0)
    } else if (outcome === 'timeout') {
      options.forceStop?.()
      options.onProgress?.(`The application did not stop within ${Math.round(options.timeoutMs / 1000)} s; quitting anyway.`)
      options.exit(1)
    } else {
      options.forceStop?.()
      options.onProgress?.(`Stopping failed: ${outcome.message}; quitting anyway.`)
      options.exit(1)
    }
  }

  return {
    beforeQuit(event) {
      if (phase === 'done') return
      event.preventDefault()
      if (phase === 'stopping') return
      phase = 'stopping'
      void stopThenExit()
    },
    get stopping() {
      return phase === 'stopping'
    },
  }
}
