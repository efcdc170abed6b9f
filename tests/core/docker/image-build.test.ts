// Tye's dockerFile on the real engine: the image is built from a Dockerfile whose base is the
// locally made busybox image (nothing can be pulled here), with build arguments, the engine's
// cache, the builder's output in the replica's log, and a failed build failing the launch.
// Named volumes (Tye's volume `name`) ride along: they are Docker's to create and keep.
import type Docker from 'dockerode'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { createDockerRunner } from '../../../src-main/core/docker/docker-runner'
import type { Application } from '../../../src-shared/app-model'
import { formatProblem } from '../../../src-shared/problems'
import { engine, ensureTestImage, sweep, TEST_IMAGE } from './docker-fixture'
import { launch, texts } from './launch-helper'
import { eachLine } from '../each-line'

const suffix = `${process.pid}-${Date.now().toString(36)}`

describe('images built from a Dockerfile', () => {
  let docker: Docker
  const applications: Application[] = []
  const images: string[] = []
  const volumes: string[] = []

  beforeAll(async () => {
    docker = await engine()
    await ensureTestImage(docker)
  })

  afterAll(async () => {
    for (const application of applications) await sweep(docker, application)
    for (const image of images) await docker?.getImage(image).remove({ force: true }).catch(() => undefined)
    for (const volume of volumes) await docker?.getVolume(volume).remove({ force: true }).catch(() => undefined)
  })

  /** a tye.yaml and a Dockerfile in a folder of their own, loaded as the loader reads them */
  function app(tyeYaml: string, dockerfile: string, extra: Record<string, string> = {}): Application {
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-build-'))
    writeFileSync(join(folder, 'tye.yaml'), tyeYaml)
    writeFileSync(join(folder, 'Dockerfile'), dockerfile)
    for (const [name, text] of Object.entries(extra)) writeFileSync(join(folder, name), text)
    const result = parseApplication(tyeYaml, join(folder, 'tye.yaml'))
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
    applications.push(result.application)
    return result.application
  }

  it('builds with the build arguments, shows the steps in the log, runs the image, and reuses the cache', async () => {
    const image = `micronetes-test/built-${suffix}:1`
    images.push(image)
    const application = app(
      `name: built\nservices:\n- name: greeter\n  image: ${image}\n  dockerFile: Dockerfile\n  dockerFileArgs:\n  - GREETING: hello from the build\n    OTHER: unused\n`,
      `FROM ${TEST_IMAGE}\nARG GREETING\nARG OTHER\nCOPY message.txt /message.txt\nRUN echo "$GREETING" > /greeting\nCMD ["sh", "-c", "cat /greeting /message.txt"]\n`,
      { 'message.txt': 'copied from the context\n' },
    )
    const service = application.services[0]!
    expect(service.dockerBuild?.args).toEqual([{ name: 'GREETING', value: 'hello from the build' }, { name: 'OTHER', value: 'unused' }])

    const first = await launch(createDockerRunner(), application, service, 1)
    expect((await first.handle.exited).exitCode).toBe(0)
    const log = texts(first.lines, 'system')
    expect(log[0]).toBe(`building image ${image} from ${join(application.directory, 'Dockerfile')}`)
    expect(log.some((line) => /^Step 5\/6 : RUN echo "\$GREETING" > \/greeting$/.test(line))).toBe(true)
    expect(log.at(-1)).toBe(`built image ${image}`)
    expect(texts(first.lines, 'stdout')).toEqual(['hello from the build', 'copied from the context'])

    // another run builds again, and the engine's cache makes it quick
    const second = await launch(createDockerRunner(), application, service, 2)
    await second.handle.exited
    expect(texts(second.lines, 'system').filter((line) => line.includes('Using cache')).length).toBeGreaterThanOrEqual(2)
  })

  it("fails the launch with the builder's own words when the build fails", async () => {
    const application = app(
      `- name: broken\n  dockerFile: Dockerfile\n`,
      `FROM ${TEST_IMAGE}\nRUN echo about to fail && false\n`,
    )
    const service = application.services[0]!
    expect(service.image).toBe('micronetes-build/broken:latest')
    images.push(service.image!)
    const lines: string[] = []
    const failure = await createDockerRunner()
      .launch({ application, service, replicaName: 'broken_test-1', ordinal: 1, ports: [], env: {}, onLines: eachLine((_stream, text) => lines.push(text)) })
      .then(() => undefined, (error: unknown) => error as Error)
    expect(failure?.message).toMatch(/^the build of image micronetes-build\/broken:latest failed: The command '\/bin\/sh -c echo about to fail && false' returned a non-zero code: 1\n/)
    expect(failure?.message).toContain('about to fail')
    expect(lines).toContain('about to fail')
  })

  it('mounts a named volume, which the engine creates and keeps after the container', async () => {
    const volume = `micronetes-test-vol-${suffix}`
    volumes.push(volume)
    const application = app(
      `- name: writer\n  image: ${TEST_IMAGE}\n  args: [sh, -c, "echo kept > /data/file && cat /data/file"]\n  volumes:\n  - name: ${volume}\n    target: /data\n`,
      `FROM ${TEST_IMAGE}\n`,
    )
    const service = application.services[0]!
    const run = await launch(createDockerRunner(), application, service, 1)
    expect((await run.handle.exited).exitCode).toBe(0)
    expect(texts(run.lines, 'stdout')).toEqual(['kept'])
    expect((await docker.getVolume(volume).inspect()).Name).toBe(volume)
    const reader = { ...service, args: ['cat', '/data/file'] }
    const again = await launch(createDockerRunner(), application, reader, 2)
    await again.handle.exited
    expect(texts(again.lines, 'stdout')).toEqual(['kept'])
  })
})
