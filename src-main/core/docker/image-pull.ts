// Makes sure an image is on the engine before a container is created from it: pulled when
// missing, with the engine's progress shown as log lines, throttled per layer so a big image
// does not flood the log.
import type Docker from 'dockerode'
import { engineReason, isUnreachable, statusOf } from './engine-errors'

interface PullEvent {
  status?: string
  id?: string
  progressDetail?: { current?: number; total?: number }
  error?: string
  errorDetail?: { message?: string }
}

const PROGRESS_INTERVAL_MS = 2000

/** `progress`: a per-layer line; otherwise a milestone (pull started, pull done) */
export type PullLog = (text: string, progress: boolean) => void

export async function ensureImage(docker: Docker, image: string, log: PullLog): Promise<void> {
  try {
    await docker.getImage(image).inspect()
    return
  } catch (error) {
    if (statusOf(error) !== 404) throw error
  }
  log(`image ${image} is not on the engine: pulling it`, false)
  await pull(docker, image, (text) => log(text, true))
  log(`pulled ${image}`, false)
}

/**
 * Replicas launched together share one look (and pull) per image. The first one's log gets
 * the progress; the others get the milestones only, so a service's merged log does not show
 * every layer once per replica. Nothing is remembered once settled: an image removed
 * meanwhile is pulled again.
 */
export class SharedImagePulls {
  private readonly inFlight = new Map<string, { done: Promise<void>; milestones: string[]; followers: Set<(text: string) => void> }>()

  ensure(docker: Docker, image: string, log: (text: string) => void): Promise<void> {
    const running = this.inFlight.get(image)
    if (running) {
      for (const milestone of running.milestones) log(milestone)
      running.followers.add(log)
      return running.done
    }
    const shared = { done: Promise.resolve(), milestones: [] as string[], followers: new Set<(text: string) => void>() }
    shared.done = ensureImage(docker, image, (text, progress) => {
      log(text)
      if (progress) return
      shared.milestones.push(text)
      for (const follower of shared.followers) follower(text)
    }).finally(() => this.inFlight.delete(image))
    this.inFlight.set(image, shared)
    return shared.done
  }
}

async function pull(docker: Docker, image: string, log: (text: string) => void): Promise<void> {
  let stream: NodeJS.ReadableStream
  try {
    stream = await docker.pull(image)
  } catch (error) {
    if (isUnreachable(error)) throw error
    throw new Error(`cannot pull image ${image}: ${engineReason(error)}`, { cause: error })
  }

  const lastShown = new Map<string, { status: string; at: number }>()
  await new Promise<void>((resolve, reject) => {
    let failure: string | undefined
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(new Error(`cannot pull image ${image}: ${engineReason(error)}`))
        else if (failure) reject(new Error(`cannot pull image ${image}: ${failure}`))
        else resolve()
      },
      (event: PullEvent) => {
        // the engine reports a failed pull inside the stream, after answering 200
        if (event.error) {
          failure ??= event.errorDetail?.message ?? event.error
          return
        }
        if (!event.status) return
        const key = event.id ?? ''
        const now = Date.now()
        const previous = lastShown.get(key)
        if (previous && previous.status === event.status && now - previous.at < PROGRESS_INTERVAL_MS) return
        lastShown.set(key, { status: event.status, at: now })
        log(`pull ${image}: ${event.id ? `${event.id}: ` : ''}${event.status}${amount(event.progressDetail)}`)
      },
    )
  })
}

function amount(detail: PullEvent['progressDetail']): string {
  if (!detail?.total || detail.current === undefined) return ''
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1)
  return ` ${mb(detail.current)}/${mb(detail.total)} MB`
}
