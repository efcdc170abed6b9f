import { describe, expect, it, vi } from 'vitest'
import { createQuitGuard } from '../../src-main/electron/quit-guard'

function quitEvent() {
  return { prevented: false, preventDefault() { this.prevented = true } }
}

describe('quitting', () => {
  it('waits for the application to stop, then exits', async () => {
    let finishStop!: () => void
    const stop = vi.fn(() => new Promise<void>((resolve) => (finishStop = resolve)))
    const exit = vi.fn()
    const progress: string[] = []
    const guard = createQuitGuard({ stop, exit, timeoutMs: 10_000, onProgress: (m) => progress.push(m) })

    const first = quitEvent()
    guard.beforeQuit(first)
    expect(first.prevented).toBe(true)
    expect(guard.stopping).toBe(true)
    const again = quitEvent()
    guard.beforeQuit(again)
    expect(again.prevented).toBe(true)
    expect(stop).toHaveBeenCalledTimes(1)

    await new Promise((r) => setTimeout(r, 50))
    expect(exit).not.toHaveBeenCalled()
    finishStop()
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0))
    expect(progress[0]).toMatch(/Stopping/)

    const afterwards = quitEvent()
    guard.beforeQuit(afterwards)
    expect(afterwards.prevented).toBe(false)
  })

  it('exits anyway when the stop hangs past the bound', async () => {
    const exit = vi.fn()
    const progress: string[] = []
    const forceStop = vi.fn()
    const guard = createQuitGuard({ stop: () => new Promise(() => undefined), exit, forceStop, timeoutMs: 100, onProgress: (m) => progress.push(m) })
    guard.beforeQuit(quitEvent())
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1))
    expect(forceStop).toHaveBeenCalledTimes(1)
    expect(progress.at(-1)).toMatch(/did not stop within/)
  })

  it('exits when the stop fails, saying why', async () => {
    const exit = vi.fn()
    const progress: string[] = []
    const guard = createQuitGuard({ stop: () => Promise.reject(new Error('engine gone')), exit, timeoutMs: 5_000, onProgress: (m) => progress.push(m) })
    guard.beforeQuit(quitEvent())
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1))
    expect(progress.at(-1)).toMatch(/engine gone/)
  })
})
