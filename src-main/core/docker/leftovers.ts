// After Micronetes was killed outright its containers keep running and hold their ports.
// The next start of the same application finds them by label and removes them, unless the
// run that made them is demonstrably still alive (same machine, its process still there):
// opening one app twice must not tear down the other instance.
import type Docker from 'dockerode'
import type { Application } from '../../../src-shared/app-model'
import { statusOf } from './engine-errors'
import { readStat } from '../proc'
import { applicationFilter, LABEL, type RunIdentity } from './labels'

type Verdict = 'current' | 'leftover' | 'alive' | 'foreign-host'

function judge(labels: Record<string, string> | undefined, run: RunIdentity): Verdict {
  const owner = labels ?? {}
  if (owner[LABEL.run] === run.runId) return 'current'
  if (owner[LABEL.host] && owner[LABEL.host] !== run.host) return 'foreign-host'
  const pid = Number(owner[LABEL.pid])
  // an earlier run inside this very process is over: this process runs one app once
  if (!Number.isInteger(pid) || pid <= 0 || pid === run.pid) return 'leftover'
  return processAlive(pid, owner[LABEL.pidStart]) ? 'alive' : 'leftover'
}

function processAlive(pid: number, startLabel: string | undefined): boolean {
  // a pid alone may have been reused by an unrelated process since: its start time tells
  const startTime = readStat(pid)?.startTime
  if (startLabel !== undefined && startTime !== undefined) return String(startTime) === startLabel
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

export async function reapLeftovers(docker: Docker, application: Application, run: RunIdentity): Promise<string[]> {
  const messages: string[] = []
  const filters = applicationFilter(application)
  const of = `an earlier run of ${application.source}`

  const containers = await docker.listContainers({ all: true, filters })
  let removed = 0
  const spared = new Map<Verdict, number>()
  for (const info of containers) {
    const verdict = judge(info.Labels, run)
    if (verdict === 'current') continue
    if (verdict !== 'leftover') {
      spared.set(verdict, (spared.get(verdict) ?? 0) + 1)
      continue
    }
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true })
      removed++
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error
    }
  }
  if (removed > 0) messages.push(`removed ${plural(removed, 'container')} left by ${of}`)
  const alive = spared.get('alive')
  if (alive) messages.push(`left ${plural(alive, 'container')} of ${application.source} alone: the Micronetes process that runs them is still alive`)
  const foreign = spared.get('foreign-host')
  if (foreign) messages.push(`left ${plural(foreign, 'container')} of ${application.source} alone: another machine started them`)

  const networks = await docker.listNetworks({ filters })
  for (const info of networks) {
    if (judge(info.Labels, run) !== 'leftover') continue
    try {
      await docker.getNetwork(info.Id).remove()
      messages.push(`removed network ${info.Name} left by ${of}`)
    } catch (error) {
      // still used by a container that was spared: it goes with that run
      if (statusOf(error) !== 404 && statusOf(error) !== 403 && statusOf(error) !== 409) throw error
    }
  }
  return messages
}
