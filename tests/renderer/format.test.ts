import { describe, expect, it } from 'vitest'
import type { ReplicaStatus, ServiceStatus } from '../../src-shared/status'
import { formatDuration, processIdOf, serviceSummary, serviceTone, shellJoin } from '../../src-renderer/format'

const replica = (state: ReplicaStatus['state'], extra: Partial<ReplicaStatus> = {}): ReplicaStatus => ({
  name: 'web_a-1', service: 'web', ordinal: 1, state, ports: [], exitCode: null, restarts: 0, commandLine: [], ...extra,
})
const service = (extra: Partial<ServiceStatus>): ServiceStatus => ({
  name: 'web', kind: 'executable', replicas: 3, state: 'running', restarts: 0, bindings: [], args: [], replicaStatuses: [], ...extra,
})

describe('what the dashboard says', () => {
  it('summarises a service as ready over desired', () => {
    expect(serviceSummary(service({ replicaStatuses: [replica('ready'), replica('ready'), replica('starting')] }))).toBe('2/3 ready')
    expect(serviceSummary(service({ state: 'stopped', replicaStatuses: [replica('stopped')] }))).toBe('stopped')
    expect(serviceSummary(service({ kind: 'external', state: 'external' }))).toBe('external')
  })

  it('says a service waits, or was not started, before counting replicas', () => {
    expect(serviceSummary(service({ state: 'waiting', waitingFor: ['db (ready)'] }))).toBe('waiting')
    expect(serviceTone(service({ state: 'waiting' }))).toBe('busy')
    expect(serviceSummary(service({ state: 'stopped', notStarted: 'autoStart is false' }))).toBe('not started')
  })

  it('shows pids and container ids only while the replica is alive', () => {
    expect(processIdOf(replica('ready', { pid: 42 }))).toBe('42')
    expect(processIdOf(replica('ready', { containerId: '0123456789abcdef0123' }))).toBe('0123456789ab')
    expect(processIdOf(replica('crashed', { pid: 42 }))).toBeUndefined()
  })

  it('writes durations compactly', () => {
    expect(formatDuration(42_000)).toBe('42s')
    expect(formatDuration(303_000)).toBe('5m 03s')
    expect(formatDuration(7_800_000)).toBe('2h 10m')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h')
  })

  it('quotes a command line so it pastes into a shell', () => {
    expect(shellJoin(['node', 'server.js', '--name', "it's here", 'a b'])).toBe(`node server.js --name 'it'\\''s here' 'a b'`)
  })
})
