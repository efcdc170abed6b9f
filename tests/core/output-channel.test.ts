// A replica's output channels: real Unix sockets given to real children, read into one
// shared buffer.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OutputChannels, type OutputChannel } from '../../src-main/core/output-channel'
import { createProcessRunner } from '../../src-main/core/process-runner'
import type { ReplicaLaunch } from '../../src-main/core/runner'
import { application, serviceDefaults } from './orchestrator-helpers'
import { eachLine } from './each-line'

interface Collected {
  text(): string
  ended: Promise<void>
  sink: { onBytes(bytes: Buffer): void; onEnd(): void }
}

/** copies every read, as the log pipeline does: the channel's buffer is reused */
function collector(): Collected {
  const chunks: Buffer[] = []
  let end!: () => void
  const ended = new Promise<void>((resolve) => (end = resolve))
  return {
    text: () => Buffer.concat(chunks).toString(),
    ended,
    sink: { onBytes: (bytes) => chunks.push(Buffer.from(bytes)), onEnd: () => end() },
  }
}

function run(channel: OutputChannel, script: string): Promise<number | null> {
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', channel.writeEnd, 'inherit'] })
  channel.closeWriteEnd()
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

const opened: OutputChannels[] = []
afterEach(() => {
  for (const channels of opened.splice(0)) channels.close()
})

function channels(): OutputChannels {
  const made = new OutputChannels()
  opened.push(made)
  return made
}

describe('output channels', () => {
  it('hand a child a socket as its stdout and every byte it writes to the sink, then the end', async () => {
    const out = collector()
    const channel = await channels().open(out.sink)
    if (!channel) throw new Error('no channel on this machine')
    await run(channel, 'seq 1 20000')
    await out.ended
    await channel.closed
    const expected = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join('')
    expect(out.text()).toBe(expected)
  })

  it('pair every connection with its own channel when many open at once', async () => {
    const shared = channels()
    const outs = Array.from({ length: 24 }, () => collector())
    const opened = await Promise.all(outs.map((out) => shared.open(out.sink)))
    await Promise.all(opened.map((channel, i) => run(channel as OutputChannel, `for n in 1 2 3; do echo replica-${i}; done`)))
    await Promise.all(outs.map((out) => out.ended))
    outs.forEach((out, i) => expect(out.text()).toBe(`replica-${i}\n`.repeat(3)))
  })

  it('pair in order past connections the kernel refused, and those fall back', async () => {
    // a backlog of 4: most of 60 connections made at once are refused
    const small = new OutputChannels(4)
    opened.push(small)
    const outs = Array.from({ length: 60 }, () => collector())
    const made = await Promise.all(outs.map((out) => small.open(out.sink)))
    const working = made.flatMap((channel, i) => (channel ? [{ channel, out: outs[i]!, i }] : []))
    expect(working.length).toBeGreaterThan(0)
    expect(working.length).toBeLessThan(60)
    await Promise.all(working.map(({ channel, i }) => run(channel, `echo replica-${i}`)))
    await Promise.all(working.map(({ out }) => out.ended))
    for (const { out, i } of working) expect(out.text()).toBe(`replica-${i}\n`)
    // refusals do not give the channels up: one opened now works
    const later = collector()
    const channel = await small.open(later.sink)
    if (!channel) throw new Error('channels were given up after refused connections')
    await run(channel, 'echo later')
    await later.ended
    expect(later.text()).toBe('later\n')
  })

  it('stay open while a child the replica started still holds the socket, like a pipe', async () => {
    const out = collector()
    const channel = await channels().open(out.sink)
    if (!channel) throw new Error('no channel on this machine')
    let ended = false
    void out.ended.then(() => (ended = true))
    // the leader exits at once; its background child writes 300 ms later
    await run(channel, '(sleep 0.3; echo from the grandchild) & echo from the leader')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(ended).toBe(false)
    await out.ended
    expect(out.text()).toBe('from the leader\nfrom the grandchild\n')
  })

  it('hand on about one read per turn of the event loop, so a flood leaves room for everything else', async () => {
    // a turn ends with the check phase: count the reads between two setImmediate callbacks
    let turn = 0
    let readsThisTurn = 0
    let mostInOneTurn = 0
    let bytes = 0
    let ticking = true
    const tick = (): void => {
      turn++
      readsThisTurn = 0
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    let end!: () => void
    const ended = new Promise<void>((resolve) => (end = resolve))
    const channel = await channels().open({
      onBytes: (read) => {
        bytes += read.length
        mostInOneTurn = Math.max(mostInOneTurn, ++readsThisTurn)
      },
      onEnd: () => end(),
    })
    if (!channel) throw new Error('no channel on this machine')
    // 8 MiB as fast as the child can write: without the budget, Node reads up to 32 times in a row
    await run(channel, 'head -c 8388608 /dev/zero')
    await ended
    ticking = false
    expect(bytes).toBe(8 * 1024 * 1024)
    expect(mostInOneTurn).toBeLessThanOrEqual(2)
    expect(turn).toBeGreaterThan(8 * 1024 * 1024 / (64 * 1024) / 2)
  })

  it('remove the socket directory a process killed outright left behind', async () => {
    const dead = spawn('true')
    await new Promise((resolve) => dead.once('exit', resolve))
    const left = join(tmpdir(), `micronetes-output-${dead.pid}-test`)
    mkdirSync(left, { recursive: true })
    writeFileSync(join(left, 'o.sock'), '')
    const channel = await channels().open(collector().sink)
    channel?.destroy()
    expect(existsSync(left)).toBe(false)
    // its own directory stays while it listens
    expect(readdirSync(tmpdir()).some((name) => name.startsWith(`micronetes-output-${process.pid}-`))).toBe(true)
  })
})

describe('a process runner without output channels', () => {
  let dir: string | undefined
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('falls back to pipes, and the replica output still arrives', async () => {
    // a temp dir that is a file: no socket can be made there
    dir = await mkdtemp(join(tmpdir(), 'micronetes-no-channels-'))
    const notADir = join(dir, 'file')
    writeFileSync(notADir, '')
    const before = process.env.TMPDIR
    process.env.TMPDIR = notADir
    const broken = channels()
    const none = await broken.open(collector().sink).finally(() => {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
    })
    expect(none).toBeUndefined()

    const lines: string[] = []
    const runner = createProcessRunner({ channels: broken, spawner: 'node' })
    const service = { ...serviceDefaults(), name: 'echo', kind: 'executable' as const, executable: 'sh', args: ['-c', 'echo out; echo err >&2'] }
    const launch: ReplicaLaunch = {
      application: application([service]),
      service,
      replicaName: 'echo_0123abcd-1',
      ordinal: 1,
      ports: [],
      env: { ...process.env } as Record<string, string>,
      onLines: eachLine((stream, text) => lines.push(`${stream}:${text}`)),
    }
    const handle = await runner.launch(launch)
    await handle.exited
    expect(lines.sort()).toEqual(['stderr:err', 'stdout:out'])
  })
})
