// A console nobody reads (a terminal paused with Ctrl-S, a pager that stopped reading) must
// not stop the orchestrator: the real CLI, a replica that keeps printing, and the API asked
// while the console is stuck. A terminal is written from a thread of its own; a pipe through
// process.stdout, which does not block.
import { spawn, spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { freePort } from '../free-port'
import { waitFor } from '../core/orchestrator-helpers'
import { cli, cliRuns } from './cli-runs'

const { children, pids, appFile } = cliRuns()

/** an application whose one replica prints a numbered line as fast as sh can */
function chattyApp(): string {
  return appFile([
    'name: chatty',
    'services:',
    '  - name: chatty',
    '    executable: sh',
    `    args: ["-c", "i=0; while :; do i=$((i+1)); echo \\"a line of the chatty replica, number $i\\"; done"]`,
    '',
  ].join('\n'))
}

/** the API's answer within `withinMs`, or 'no answer' */
function services(port: number, withinMs: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/services', agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(String(res.statusCode)))
    })
    req.setTimeout(withinMs, () => {
      req.destroy()
      resolve('no answer')
    })
    req.on('error', () => resolve('no answer'))
    req.end()
  })
}

describe('a console nobody reads', () => {
  it('a pipe that stops being read: the API keeps answering, lines are skipped and counted, the last lines still come', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [cli, 'run', chattyApp(), '--port', String(port), '--no-dashboard'], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let text = ''
    child.stdout!.setEncoding('utf8')
    child.stdout!.on('data', (chunk: string) => {
      text += chunk
      for (const m of text.slice(-4096).matchAll(/on process id (\d+)/g)) pids.add(Number(m[1]))
    })
    await waitFor('the replica printing', () => text.includes('number 1000'), 20_000)
    // stop reading: the pipe fills within a moment
    child.stdout!.pause()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const answers = [await services(port, 2000), await services(port, 2000)]
    expect(answers).toEqual(['200', '200'])

    child.stdout!.resume()
    await waitFor('a note of skipped lines', () => /… \d+ console lines not shown/.test(text), 20_000)
    // 'close', not 'exit': only then has every byte of its output been read here
    const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(text.trimEnd().endsWith('INF] Stopped')).toBe(true)
  }, 60_000)

  it('a terminal paused with Ctrl-S: the API keeps answering while it stays paused', async () => {
    // a pseudo-terminal needs a program that makes one: python3's pty module (.ci/run installs python3)
    if (spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status !== 0) {
      throw new Error('this test needs python3 to make a pseudo-terminal: apt-get install -y python3')
    }
    const port = await freePort()
    // python3 runs the CLI on a pseudo-terminal, pauses it (XOFF) without reading, and reports
    // whether the API answers; then resumes (XON), reads to the end and says how it exited
    const script = `
import os, pty, select, signal, sys, time, urllib.request
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
def read_for(seconds):
    out = b''
    end = time.time() + seconds
    while time.time() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try: out += os.read(fd, 65536)
            except OSError: break
    return out
def ask():
    try:
        return str(urllib.request.urlopen('http://127.0.0.1:${port}/api/v1/services', timeout=2).status)
    except Exception:
        return 'no answer'
out = b''
while b'number 1000' not in out:
    out += read_for(0.2)
os.write(fd, b'\\x13')
time.sleep(2)
print('paused', ask(), ask(), flush=True)
os.write(fd, b'\\x11')
out += read_for(1)
os.kill(pid, signal.SIGTERM)
# the backlog of a paused terminal comes first: on a busy machine that takes a while
end = time.time() + 20
while b'INF] Stopped' not in out and time.time() < end:
    out += read_for(0.2)
print('stopped' if b'INF] Stopped' in out else 'no stop line', os.waitpid(pid, 0)[1], flush=True)
`
    const run = spawnSync('python3', ['-c', script, process.execPath, cli, 'run', chattyApp(), '--port', String(port), '--no-dashboard'], { encoding: 'utf8', timeout: 60_000 })
    expect(run.stdout.trim().split('\n')).toEqual(['paused 200 200', 'stopped 0'])
  }, 70_000)
})
