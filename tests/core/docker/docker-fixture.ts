// What the Docker tests share: a reachable engine (or a clear failure, never a silent skip),
// the locally built busybox image (nothing can be pulled on CI), applications made by hand,
// free ports, and a sweep that removes everything a test application left on the engine.
import type Docker from 'dockerode'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Application, Service } from '../../../src-shared/app-model'
import { connectToEngine, engineAddress } from '../../../src-main/core/docker/engine-address'
import { LABEL } from '../../../src-main/core/docker/labels'
import { serviceDefaults } from '../orchestrator-helpers'

export const TEST_IMAGE = 'micronetes-test/busybox:1'
// bump TEST_IMAGE's tag when this list changes: an existing image is never rebuilt
const APPLETS = ['sh', 'httpd', 'nc', 'echo', 'sleep', 'env', 'cat', 'printf', 'wget', 'mkdir', 'ls', 'hostname', 'nslookup', 'true', 'false', 'ps', 'kill']
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((path) => existsSync(path))

export async function engine(): Promise<Docker> {
  const address = engineAddress()
  const docker = connectToEngine(address)
  try {
    await docker.ping()
  } catch (error) {
    throw new Error(
      `these tests need a Docker engine, and none answers at ${address.text} (${(error as Error).message}). ` +
        'Start one: apt-get install -y docker.io busybox-static && nohup dockerd > /tmp/dockerd.log 2>&1 &',
      { cause: error },
    )
  }
  return docker
}

/** builds the image once per engine; a lock keeps parallel test files from importing twice */
export async function ensureTestImage(docker: Docker): Promise<string> {
  if (await hasImage(docker)) return TEST_IMAGE
  const lock = join(tmpdir(), 'micronetes-test-image.lock')
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // a test killed while building leaves the lock behind: a build takes seconds, not minutes
      const held = statSync(lock, { throwIfNoEntry: false })
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true })
      if (attempt > 600) throw new Error(`${lock} held for a minute: remove it if no test is running`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      if (await hasImage(docker)) return TEST_IMAGE
    }
  }
  try {
    if (await hasImage(docker)) return TEST_IMAGE
    const rootfs = busyboxRootfs(APPLETS)
    try {
      execFileSync('sh', ['-c', `tar -C "${rootfs}" -c . | docker import -c 'ENV PATH=/bin' - ${TEST_IMAGE}`], { stdio: 'pipe' })
    } finally {
      rmSync(rootfs, { recursive: true, force: true })
    }
    return TEST_IMAGE
  } finally {
    rmdirSync(lock)
  }
}

/** a fresh folder holding a static busybox and the applets' links; the caller removes it */
export function busyboxRootfs(applets: readonly string[]): string {
  if (!BUSYBOX) throw new Error('no /bin/busybox to build the test image from: apt-get install -y busybox-static')
  const rootfs = mkdtempSync(join(tmpdir(), 'micronetes-rootfs-'))
  mkdirSync(join(rootfs, 'bin'))
  mkdirSync(join(rootfs, 'tmp'))
  copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'))
  for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet))
  return rootfs
}

async function hasImage(docker: Docker): Promise<boolean> {
  try {
    await docker.getImage(TEST_IMAGE).inspect()
    return true
  } catch {
    return false
  }
}

export function containerService(name: string, fields: Partial<Service> = {}): Service {
  return { ...serviceDefaults(), name, kind: 'container', image: TEST_IMAGE, ...fields }
}

/** an application in a fresh folder of its own, so its label matches nothing else on the engine */
export function testApplication(name: string, services: Service[]): Application {
  const directory = mkdtempSync(join(tmpdir(), `micronetes-${name}-`))
  return { name, source: join(directory, 'app.yaml'), directory, services }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** removes every container and network carrying the application's label, and its folder */
export async function sweep(docker: Docker, application: Application): Promise<void> {
  const filters = { label: [`${LABEL.app}=${application.source}`] }
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined)
  }
  for (const info of await docker.listNetworks({ filters })) {
    await docker.getNetwork(info.Id).remove().catch(() => undefined)
  }
  rmSync(application.directory, { recursive: true, force: true })
}

export async function labelled(docker: Docker, application: Application): Promise<{ containers: number; networks: number }> {
  const filters = { label: [`${LABEL.app}=${application.source}`] }
  const containers = await docker.listContainers({ all: true, filters })
  const networks = await docker.listNetworks({ filters })
  return { containers: containers.length, networks: networks.length }
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`)
}
