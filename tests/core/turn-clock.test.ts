import { describe, expect, it } from 'vitest'
import { TurnClock } from '../../src-main/core/turn-clock'

function busyWait(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until);
}

describe('TurnClock', () => {
  it('reads the time once per turn: the same all through one job, a new reading in the next', async () => {
    const clock = new TurnClock()
    const first = clock.now()
    busyWait(3)
    expect(clock.now()).toBe(first)
    await Promise.resolve()
    expect(clock.now()).toBeGreaterThanOrEqual(first + 3)
  })

  it('keeps each clock to itself', async () => {
    const early = new TurnClock()
    const started = early.now()
    busyWait(3)
    expect(new TurnClock().now()).toBeGreaterThanOrEqual(started + 3)
    expect(early.now()).toBe(started)
  })
})
