// The history ring's bounds and the rates between two readings.
import { describe, expect, it } from 'vitest'
import { HistoryRing } from '../../src-main/core/resources/history'
import { RateTracker } from '../../src-main/core/resources/traffic'
import { Watchers } from '../../src-main/core/resources/watchers'

describe('HistoryRing', () => {
  it('keeps the newest readings, oldest first, and never more than its capacity', () => {
    const ring = new HistoryRing(3)
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, i, i * 10, i * 100)
    expect(ring.length).toBe(3)
    const h = ring.read('web', 'web_1-1', 0)
    expect(h.time).toEqual([3000, 4000, 5000])
    expect(h.cpuPercent).toEqual([3, 4, 5])
    expect(h.memoryBytes).toEqual([30, 40, 50])
    expect(h.bytesPerSecond).toEqual([300, 400, 500])
  })

  it('leaves out readings older than the window asked for', () => {
    const ring = new HistoryRing(10)
    for (let i = 1; i <= 4; i++) ring.push(i * 1000, 1, 1, 1)
    expect(ring.read('web', 'web_1-1', 2500).time).toEqual([3000, 4000])
  })
})

describe('RateTracker', () => {
  it('gives per-second rates between turns, and none for a counter that went down', () => {
    const rates = new RateTracker()
    const zero = { connections: 0, activeConnections: 0, bytesIn: 0, bytesOut: 0 }
    expect(rates.rates('a', zero, 1000)).toEqual({ connectionsPerSecond: 0, bytesInPerSecond: 0, bytesOutPerSecond: 0 })
    rates.endTurn()
    expect(rates.rates('a', { connections: 4, activeConnections: 1, bytesIn: 1000, bytesOut: 3000 }, 3000)).toEqual({ connectionsPerSecond: 2, bytesInPerSecond: 500, bytesOutPerSecond: 1500 })
    rates.endTurn()
    expect(rates.rates('a', zero, 4000)).toEqual({ connectionsPerSecond: 0, bytesInPerSecond: 0, bytesOutPerSecond: 0 })
  })
})

describe('Watchers', () => {
  it('is active while a watch is held or for a while after a touch, and says when looking starts', () => {
    const w = new Watchers()
    let looks = 0
    w.onLook(() => looks++)
    expect(w.active).toBe(false)
    const release = w.hold()
    expect(w.active).toBe(true)
    release()
    release()
    expect(w.active).toBe(false)
    w.touch(60_000)
    expect(w.active).toBe(true)
    expect(looks).toBe(2)
  })
})
