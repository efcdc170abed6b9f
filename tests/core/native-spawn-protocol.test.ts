// micronetes-spawn spoken to directly, as native-spawner.ts does: its requests, tokens, replies
// and exits, with the mistakes a broken peer could make.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { nativeHelper } from '../../src-main/core/helper-entry'
import { NativeSpawner } from '../../src-main/core/native-spawner'

interface Spawner {
  child: ChildProcessWithoutNullStreams
  socketPath: string
  /** the reply lines so far */
  lines: string[]
  line(prefix: string): Promise<string>
}

const running: ChildProcessWithoutNullStreams[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL')
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function start(): Promise<Spawner> {
  // the sanitized run (scripts/test-native-sanitized.mjs) points MICRONETES_SPAWN_PATH at its build
  const program = process.env.MICRONETES_SPAWN_PATH ?? nativeHelper('micronetes-spawn')
  expect(program, 'out/native/micronetes-spawn: run npm run build (needs cc)').toBeDefined()
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-spawn-test-'))
  dirs.push(dir)
  const socketPath = join(dir, 's.sock')
  const child = spawn(program as string, [socketPath])
  running.push(child)
  const lines: string[] = []
  const waiters: (() => void)[] = []
  let partial = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (text: string) => {
    const parts = (partial + text).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
    for (const wake of waiters.splice(0)) wake()
  })
  const line = async (prefix: string): Promise<string> => {
    for (;;) {
      const found = lines.find((l) => l.startsWith(prefix))
      if (found) return found
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  await line('ready')
  return { child, socketPath, lines, line }
}

function request(id: number, flags: 'c' | '-', argv: string[], env: string[] = [`PATH=${process.env.PATH}`]): string {
  return ['spawn', String(id), flags, tmpdir(), '/bin/sh', String(argv.length), ...argv, String(env.length), ...env].join('\0') + '\0'
}

async function channel(socketPath: string, token: string): Promise<{ socket: net.Socket; text: Promise<string> }> {
  const socket = net.connect(socketPath)
  await once(socket, 'connect')
  socket.write(token)
  let text = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (text += chunk))
  return { socket, text: once(socket, 'end').then(() => text) }
}

describe('micronetes-spawn', () => {
  it('starts a request once both its channels came, in whatever order, and reports pid and exit', async () => {
    const s = await start()
    // the request first, the channels after, stderr before stdout
    s.child.stdin.write(request(7, 'c', ['sh', '-c', 'echo out; echo err >&2; exit 4']))
    const err = await channel(s.socketPath, NativeSpawner.channelToken(7, 2))
    const out = await channel(s.socketPath, NativeSpawner.channelToken(7, 1))
    expect(await s.line('spawned 7 ')).toMatch(/^spawned 7 \d+$/)
    expect(await s.line('exited 7 ')).toBe('exited 7 code 4')
    expect(await out.text).toBe('out\n')
    expect(await err.text).toBe('err\n')
  })

  it('reports the errno of a program that cannot be started', async () => {
    const s = await start()
    s.child.stdin.write(['spawn', '3', '-', tmpdir(), '/nonexistent/program', '1', 'program', '0', ''].join('\0'))
    expect(await s.line('failed 3 ')).toBe('failed 3 2')
  })

  it('reports a working directory that is not there as the errno of its chdir, and keeps its own', async () => {
    const s = await start()
    s.child.stdin.write(['spawn', '4', '-', '/nonexistent/folder', '/bin/sh', '2', 'sh', '-c', '0', ''].join('\0'))
    expect(await s.line('failed 4 ')).toBe('failed 4 2')
    // the next request, in a folder that is there, runs there
    s.child.stdin.write(request(8, '-', ['sh', '-c', `test "$(pwd)" = "${tmpdir()}"`]))
    expect(await s.line('exited 8 ')).toBe('exited 8 code 0')
  })

  it('takes a request that arrives a byte at a time', async () => {
    const s = await start()
    for (const byte of Buffer.from(request(9, '-', ['sh', '-c', 'exit 0']))) {
      s.child.stdin.write(Buffer.from([byte]))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await s.line('exited 9 ')).toBe('exited 9 code 0')
  })

  it('closes channels of a dropped id, even those that come after the drop', async () => {
    const s = await start()
    const before = await channel(s.socketPath, NativeSpawner.channelToken(5, 1))
    // the token must be read before the drop arrives for the first case to be tested
    await new Promise((resolve) => setTimeout(resolve, 100))
    s.child.stdin.write('drop\u00005\u0000')
    await before.text
    const after = await channel(s.socketPath, NativeSpawner.channelToken(5, 2))
    await after.text
    // and it still serves
    s.child.stdin.write(request(6, '-', ['sh', '-c', 'exit 1']))
    expect(await s.line('exited 6 ')).toBe('exited 6 code 1')
  })

  it('closes a connection whose token is not one', async () => {
    const s = await start()
    const bad = await channel(s.socketPath, 'not a token!')
    expect(await bad.text).toBe('')
  })

  it('exits with 2 on a malformed request, saying so', async () => {
    const s = await start()
    let stderr = ''
    s.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    s.child.stdin.write('launch\u00001\u0000')
    const [code] = (await once(s.child, 'exit')) as [number]
    expect(code).toBe(2)
    expect(stderr).toContain('micronetes-spawn: a malformed request on stdin')
  })

  it('exits when its stdin closes, removing its socket and its folder, and leaves its replicas running', async () => {
    const s = await start()
    s.child.stdin.write(request(1, '-', ['sh', '-c', 'sleep 30']))
    const pid = Number((await s.line('spawned 1 ')).split(' ')[2])
    s.child.stdin.end()
    const [code] = (await once(s.child, 'exit')) as [number]
    expect(code).toBe(0)
    expect(existsSync(dirname(s.socketPath))).toBe(false)
    expect(() => process.kill(pid, 0)).not.toThrow()
    process.kill(pid, 'SIGKILL')
  })
})
