// `micronetes run` killed outright (SIGKILL: no handler runs) must not leave a replica's
// descendants running, even one that left the replica's session with setsid: the orphan
// watchdog stops the replica's whole cgroup. Killed together with its watchdog (a crash of the
// machine's session), the next start sweeps what they left.
import { describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { createContainment } from '../../src-main/core/containment/containment'
import { commandLineOf, listPids, processAlive, readStat } from '../../src-main/core/proc'
import { waitFor } from '../core/orchestrator-helpers'
import { cli, cliRuns } from './cli-runs'

const { children, pids, appFile } = cliRuns()

function running(commandLine: string): number[] {
  return listPids().filter((pid) => commandLineOf(pid) === commandLine && processAlive(pid))
}

async function runWithEscaper(): Promise<{ child: ChildProcess; sleeps: number[] }> {
  const escaped = `sleep ${randomInt(100_000, 900_000)}.5`
  const stayed = `sleep ${randomInt(100_000, 900_000)}.25`
  const file = appFile(`services:
  - name: escaper
    executable: sh
    args: [-c, "setsid ${escaped} & ${stayed} & wait"]
`)
  const child = spawn(process.execPath, [cli, 'run', file, '--port', '0'], { stdio: 'ignore' })
  children.push(child)
  const sleeps = await waitFor('both sleeps running', () => {
    const found = [...running(escaped), ...running(stayed)]
    return found.length === 2 ? found : undefined
  })
  for (const pid of sleeps) pids.add(pid)
  return { child, sleeps }
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

describe('micronetes run, SIGKILLed', () => {
  it('leaves no descendant of a replica running, one that called setsid included', async () => {
    const { child, sleeps } = await runWithEscaper()
    await killed(child)
    await waitFor('every sleep gone', () => sleeps.every((pid) => !processAlive(pid)), 10_000)
  })

  it('killed together with its watchdog, leaves them to the next start, which stops them', async () => {
    const { child, sleeps } = await runWithEscaper()
    const watchdog = listPids().find((pid) => readStat(pid)?.ppid === child.pid && /orphan-watchdog|micronetes-watchdog/.test(commandLineOf(pid) ?? ''))
    expect(watchdog).toBeGreaterThan(0)
    pids.add(watchdog!)
    process.kill(watchdog!, 'SIGKILL')
    await killed(child)
    await waitFor('the watchdog gone', () => !processAlive(watchdog!))
    // Nothing of that run is left to stop them: the next orchestrator that chooses its
    // containment does. Whether they are still alive at this point is not asserted: any
    // Micronetes started meanwhile on this machine (another test file running in parallel)
    // sweeps them as well, which is the same behaviour seen from elsewhere.
    createContainment()
    await waitFor('every sleep gone', () => sleeps.every((pid) => !processAlive(pid)), 10_000)
  })
})
