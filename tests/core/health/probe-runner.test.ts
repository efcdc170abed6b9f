// How a probe counts: thresholds, readiness starting unready, liveness ignoring the failures of a
// replica that has not answered yet. The check is a function the test scripts (the seam the
// runner takes); the real checks are tested in checks.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import type { Probe } from '../../../src-shared/app-model'
import type { ProbeResult } from '../../../src-shared/status'
import { ProbeRunner } from '../../../src-main/core/health/probe-runner'
import { waitFor } from '../orchestrator-helpers'

const runners: ProbeRunner[] = []
afterEach(() => runners.splice(0).forEach((r) => r.stop()))

function run(script: boolean[], liveness: boolean, more: Partial<Probe> = {}) {
  const events: string[] = []
  const results: ProbeResult[] = []
  let i = 0
  const runner = new ProbeRunner({
    probe: { check: { kind: 'tcp' }, initialDelayMs: 0, periodMs: 10, timeoutMs: 100, successThreshold: 1, failureThreshold: 1, ...more },
    liveness,
    check: async () => {
      const ok = script[Math.min(i++, script.length - 1)]!
      return { ok, message: ok ? 'pass' : 'fail' }
    },
    onResult: (r) => results.push(r),
    onHealthy: () => events.push(`healthy@${results.length}`),
    onUnhealthy: () => events.push(`unhealthy@${results.length}`),
  })
  runners.push(runner)
  runner.start()
  return { events, results, runner }
}

describe('ProbeRunner', () => {
  it('readiness: unready until successThreshold passes in a row, unready again after failureThreshold failures', async () => {
    const { events, results } = run([false, true, false, true, true, false, false, true, true], false, { successThreshold: 2, failureThreshold: 2 })
    await waitFor('9 checks', () => results.length >= 9)
    expect(events.slice(0, 3)).toEqual(['healthy@5', 'unhealthy@7', 'healthy@9'])
    expect(results.slice(0, 7).map((r) => r.failures)).toEqual([1, 0, 1, 0, 0, 1, 2])
  })

  it('liveness: failures before the first pass do not count; after it, failureThreshold in a row do', async () => {
    const { events, results } = run([false, false, false, false, true, false, true, false, false], true, { failureThreshold: 2 })
    await waitFor('9 checks', () => results.length >= 9)
    expect(events[0]).toBe('unhealthy@9')
  })

  it('waits initialDelay before the first check', async () => {
    const started = Date.now()
    const { results } = run([true], true, { initialDelayMs: 300 })
    await waitFor('a check', () => results.length > 0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })
})
