// The process meter without a cgroup of the replica's own: the whole session is summed from
// /proc, so CPU burnt by a child counts for the replica that started it.
import { spawn } from 'node:child_process'
import { afterEach, expect, it } from 'vitest'
import { ProcMeter } from '../../src-main/core/resources/process-meter'
import { program, sleep } from '../core/orchestrator-helpers'

const started: number[] = []
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
})

it('sums the CPU and memory of a session leader and its descendants', async () => {
  // detached: a session of its own, in Micronetes' own cgroup (as without containment)
  const child = spawn(process.execPath, [program('burn-cpu.mjs')], { detached: true, stdio: 'ignore' })
  started.push(child.pid!)
  const meter = new ProcMeter()
  await sleep(300)
  const first = await meter.measure([child.pid!])
  expect(first.get(child.pid!)?.memoryBytes).toBeGreaterThan(10 * 1024 * 1024)
  await sleep(1000)
  const second = (await meter.measure([child.pid!])).get(child.pid!)!
  // the leader itself only waits: the CPU is its child's
  expect(second.cpuPercent).toBeGreaterThan(10)
  expect((await meter.measure([999_999_999])).size).toBe(0)
})
