// The native relay's own life: one process for every binding, threads sharing the port, recovery
// when the process dies, no relay left behind when the orchestrator dies, and the fallback to
// the Node threads. What a proxy does with connections is in start-proxy.test.ts, on every engine.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BindingProxy } from '../../../src-main/core/proxy-types'
import { ProxyEngines } from '../../../src-main/core/proxy/proxy-engines'
import { connect as netConnect, type Socket } from 'node:net'
import { engines, accepts, type Backend, namedBackend, proxyWithNamedBackends, request, startBackend, stopBackend, until } from './sockets'

const proxies: BindingProxy[] = []
const backends: Backend[] = []

// the variables as the run set them (the sanitized run points MICRONETES_RELAY_PATH at its build)
const environment = { MICRONETES_PROXY: process.env.MICRONETES_PROXY, MICRONETES_RELAY_PATH: process.env.MICRONETES_RELAY_PATH }

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
  await Promise.all(backends.splice(0).map(stopBackend))
  for (const [name, value] of Object.entries(environment)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

function started(threads: number, ...names: string[]): Promise<BindingProxy> {
  return proxyWithNamedBackends({ waitForBackendMs: 500, threads, engine: 'native' }, names, { proxies, backends })
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) [ZX]/.test(stat)
  } catch {
    return false
  }
}

/** listening sockets on `port` (both loopback addresses), from the kernel's tables */
function listeners(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  let count = 0
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state === '0A' && local?.endsWith(`:${hex}`)) count++
    }
  }
  return count
}

/** user + system CPU of a process, in clock ticks (1/100 s) */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return Number(fields[11]) + Number(fields[12])
}

describe('the native relay', () => {
  it('is built, and is the default engine where it is', () => {
    expect(engines.relay.binary.path(), 'out/native/micronetes-relay: run npm run build (needs cc)').toBeDefined()
    expect(engines.defaultEngine()).toBe('native')
    process.env.MICRONETES_PROXY = 'node'
    expect(engines.defaultEngine()).toBe('threads')
  })

  it('serves every binding from one process and ends with the last of them', async () => {
    const first = await started(1, 'web_1')
    const relay = engines.relay.process()
    const second = await started(1, 'api_1')
    expect(engines.relay.process()).toBe(relay)
    expect((await request(first.port)).data).toBe('web_1')
    expect((await request(second.port)).data).toBe('api_1')
    const pid = relay?.child.pid as number
    expect(alive(pid)).toBe(true)
    await first.close()
    expect(alive(pid)).toBe(true)
    await second.close()
    await until('the relay to exit', () => !alive(pid))
    expect(engines.relay.process()).toBeUndefined()
  })

  it('puts a socket per thread on the port, keeping one round robin across them', async () => {
    const p = await started(2, 'web_1', 'web_2')
    // two threads on 127.0.0.1 and two on ::1 where the machine has it
    expect([2, 4]).toContain(listeners(p.port))
    const answers: string[] = []
    for (let i = 0; i < 40; i++) answers.push((await request(p.port)).data)
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'web_1' : 'web_2')))
    const stats = await (p.currentStats as () => Promise<Map<string, { connections: number }>>)()
    expect(stats.get('web_1')?.connections).toBe(20)
    expect(stats.get('web_2')?.connections).toBe(20)
  })

  it('does not join a port another binding holds, though both ask to share it', async () => {
    const p = await started(2, 'web_1')
    await expect(engines.start({ port: p.port, service: 'api', threads: 2, engine: 'native' }))
      .rejects.toThrow(`port ${p.port} (service api): 127.0.0.1:${p.port} is already in use`)
    expect((await request(p.port)).data).toBe('web_1')
  })

  it('reports its counters without being asked', async () => {
    const p = await started(1, 'web_1')
    await request(p.port)
    await until('a report', () => p.stats().get('web_1')?.connections === 1)
  })

  it('is replaced when it dies: a new relay takes the port with the same backends, counts going on', async () => {
    const p = await started(2, 'web_1')
    for (let i = 0; i < 3; i++) await request(p.port)
    await until('the count', async () => (await p.currentStats?.())?.get('web_1')?.connections === 3)
    const dead = engines.relay.process()
    dead?.child.kill('SIGKILL')
    await until('a new relay', () => engines.relay.process() !== undefined && engines.relay.process() !== dead)
    await until('the port served again', async () => (await request(p.port).catch(() => ({ data: '' }))).data === 'web_1')
    for (let i = 0; i < 5; i++) expect((await request(p.port)).data).toBe('web_1')
    // the 3 before, the requests that found the port served again, and the 5
    const counted = (await p.currentStats?.())?.get('web_1')?.connections ?? 0
    expect(counted).toBeGreaterThanOrEqual(9)
  })

  it('replaces a relay that keeps dying at most once a second, not in a tight loop', async () => {
    // a stand-in relay that takes the binding and dies at once, every time
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-relay-test-'))
    const starts = join(dir, 'starts')
    const script = join(dir, 'dying-relay')
    writeFileSync(script, `#!/bin/sh\necho start >> '${starts}'\necho 'ready 1'\nread command id rest\necho "listening $id 40999"\nsleep 0.05\nexit 1\n`, { mode: 0o755 })
    process.env.MICRONETES_RELAY_PATH = script
    try {
      proxies.push(await engines.start({ port: 0, service: 'web', engine: 'native' }))
      await new Promise((resolve) => setTimeout(resolve, 2500))
      const count = readFileSync(starts, 'utf8').trim().split('\n').length
      // at 0 s, about 1 s and about 2 s; in a tight loop it would be dozens
      expect(count).toBeGreaterThanOrEqual(2)
      expect(count).toBeLessThanOrEqual(4)
    } finally {
      await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits with the process that started it, freeing the port', async () => {
    // an orchestrator killed outright: no stop, no close
    const script = `
      const { spawn } = require('node:child_process')
      const relay = spawn(process.argv[1], ['--parent', String(process.pid)], { stdio: ['pipe', 'pipe', 'inherit'] })
      relay.stdout.on('data', (text) => process.stdout.write(text))
      relay.stdout.once('data', () => relay.stdin.write('listen 1 0 1000 1\\n'))
      process.stdout.write('relay ' + relay.pid + '\\n')
      setInterval(() => {}, 1000)`
    const orchestrator = spawn(process.execPath, ['-e', script, engines.relay.binary.path() as string], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    orchestrator.stdout.on('data', (text: Buffer) => { output += text })
    await until('the relay listening', () => /listening 1 \d+/.test(output))
    const relayPid = Number(/relay (\d+)/.exec(output)?.[1])
    const port = Number(/listening 1 (\d+)/.exec(output)?.[1])
    expect(await accepts(port, '127.0.0.1')).toBe(true)
    orchestrator.kill('SIGKILL')
    await until('the relay to exit', () => !alive(relayPid))
    // its main thread shows as gone a moment before its last thread has let go of the sockets
    await until('the port free', async () => !(await accepts(port, '127.0.0.1')))
  })

  it('rests, not spins, when it runs out of file descriptors, and serves the rest once some are free', async () => {
    // a relay allowed 24 descriptors: 12 clients, each with its backend connection, are more
    const held = new Set<Socket>()
    const silent = await startBackend('web_1', (socket) => {
      held.add(socket)
      // silent until the client has gone; then the relay's two descriptors are free
      socket.on('end', () => socket.end())
    })
    backends.push(silent)
    const relay = spawn('sh', ['-c', 'ulimit -n 24 && exec "$0" --threads 1', engines.relay.binary.path() as string], { stdio: ['pipe', 'pipe', 'inherit'] })
    let output = ''
    relay.stdout.on('data', (text: Buffer) => { output += text })
    try {
      relay.stdin.write(`listen 1 0 10000 1\nbackends 1 web_1 127.0.0.1 ${silent.port}\n`)
      await until('the relay listening', () => /listening 1 \d+/.test(output))
      const port = Number(/listening 1 (\d+)/.exec(output)?.[1])
      const clients = Array.from({ length: 12 }, () => netConnect(port, '127.0.0.1').on('error', () => undefined))
      await until('the relay out of descriptors', () => held.size >= 8)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const before = cpuTicks(relay.pid as number)
      await new Promise((resolve) => setTimeout(resolve, 1000))
      // spinning on the listener would take the whole second (100 ticks)
      expect(cpuTicks(relay.pid as number) - before).toBeLessThan(20)
      expect(held.size).toBeLessThan(12)
      for (const client of clients.slice(0, 6)) client.destroy()
      await until('every client connected to the backend', () => held.size === 12)
      for (const client of clients) client.destroy()
    } finally {
      relay.kill('SIGKILL')
    }
  })

  it('leaves the proxy to the Node threads when it cannot start, and says why', async () => {
    process.env.MICRONETES_RELAY_PATH = '/bin/false'
    const list = await Promise.all(['web_1'].map(namedBackend))
    backends.push(...list)
    // a runtime of its own: the failure is that runtime's, not the process's
    const failing = new ProxyEngines()
    // asked for by name, it fails
    await expect(failing.start({ port: 0, service: 'web', engine: 'native' })).rejects.toThrow(/native relay failed/)
    const p = await failing.start({ port: 0, service: 'web' })
    proxies.push(p)
    expect(p.engine).toBe('threads')
    expect(failing.relayFailure()).toMatch(/native relay failed: it exited/)
    p.setBackends(list.map((b) => ({ replica: b.name, host: '127.0.0.1', port: b.port })))
    expect((await request(p.port)).data).toBe('web_1')
    expect(failing.defaultEngine()).toBe('threads')
    expect(engines.relayFailure()).toBeUndefined()
    expect(engines.defaultEngine()).toBe('native')
  })
})
