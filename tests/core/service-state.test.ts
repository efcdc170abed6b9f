import { describe, expect, it } from 'vitest'
import { serviceState } from '../../src-main/core/service-state'

const state = (replicaStates: Parameters<typeof serviceState>[0]['replicaStates'], more: Partial<Parameters<typeof serviceState>[0]> = {}) =>
  serviceState({ external: false, stopped: false, desired: replicaStates.length, replicaStates, ...more })

describe('service state', () => {
  it('follows its replicas', () => {
    expect(state(['ready', 'ready'])).toBe('running')
    expect(state(['ready', 'starting'])).toBe('starting')
    expect(state(['ready', 'backoff'])).toBe('degraded')
    expect(state(['ready', 'stopped'])).toBe('degraded')
    expect(state(['failed', 'failed'])).toBe('failed')
    expect(state(['stopped', 'stopped'])).toBe('stopped')
    expect(state([])).toBe('stopped')
    expect(state(['ready'], { stopped: true })).toBe('stopped')
    expect(state([], { external: true })).toBe('external')
  })
})
