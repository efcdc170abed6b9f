// Tye's `dockerFile`: the image of a service built on the engine before its containers start.
// The engine keeps its layer cache, so a second run rebuilds only what changed. The builder's
// steps go to the replica's log; a failed build fails the service with the builder's own words.
import { readdirSync } from 'node:fs'
import { relative } from 'node:path'
import type Docker from 'dockerode'
import type { DockerBuild } from '../../../src-shared/app-model'
import { engineReason, isUnreachable } from './engine-errors'

interface BuildEvent {
  stream?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
  aux?: { ID?: string }
}

/** lines of the builder's output kept for the message of a failed build */
const TAIL_LINES = 20

export async function buildImage(docker: Docker, image: string, build: DockerBuild, log: (text: string) => void): Promise<void> {
  log(`building image ${image} from ${build.dockerfile}`)
  const buildargs = Object.fromEntries(build.args.map((a) => [a.name, a.value]))
  let stream: NodeJS.ReadableStream
  try {
    // dockerode packs the context and honours its .dockerignore; every top-level entry is sent
    stream = await docker.buildImage(
      { context: build.context, src: readdirSync(build.context) },
      { t: image, dockerfile: relative(build.context, build.dockerfile).split('\\').join('/'), buildargs, rm: true, forcerm: true },
    )
  } catch (error) {
    if (isUnreachable(error)) throw error
    throw new Error(`cannot build image ${image}: ${engineReason(error)}`, { cause: error })
  }
  const tail: string[] = []
  await new Promise<void>((resolve, reject) => {
    let failure: string | undefined
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) failure ??= engineReason(error)
        if (failure === undefined) return resolve()
        const output = tail.length > 0 ? `\n${tail.join('\n')}` : ''
        reject(new Error(`the build of image ${image} failed: ${failure}${output}`))
      },
      (event: BuildEvent) => {
        // a failed step is told inside the stream, after the engine answered 200
        if (event.error) {
          failure ??= (event.errorDetail?.message ?? event.error).trim()
          return
        }
        const text = event.stream ?? event.status
        if (!text) return
        for (const line of text.split('\n')) {
          const trimmed = line.trimEnd()
          if (trimmed === '') continue
          log(trimmed)
          tail.push(trimmed)
          if (tail.length > TAIL_LINES) tail.shift()
        }
      },
    )
  })
  log(`built image ${image}`)
}

/**
 * Replicas launched together share one build per image: the first one's log gets the
 * builder's output, the others are told they wait for it. A later launch (a restart, a
 * scale) reuses the image built in this run rather than building again.
 */
export class SharedImageBuilds {
  private readonly builds = new Map<string, { done: Promise<void>; failed: boolean }>()

  ensure(docker: Docker, image: string, build: DockerBuild, log: (text: string) => void): Promise<void> {
    const known = this.builds.get(image)
    if (known && !known.failed) {
      log(`waiting for the build of image ${image}`)
      return known.done
    }
    const entry = { done: Promise.resolve(), failed: false }
    entry.done = buildImage(docker, image, build, log).catch((error: unknown) => {
      // a failed build is tried again by the next launch (a restart after fixing the Dockerfile)
      entry.failed = true
      throw error
    })
    this.builds.set(image, entry)
    return entry.done
  }
}
