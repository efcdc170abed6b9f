// Stopping a replica on Windows, through the platform layer with Windows' tools stood in for:
// taskkill /T first, taskkill /T /F after the grace period, and a batch file run through
// cmd.exe with a command line that gives every argument back exactly. The replica here is a
// real process; "taskkill /F" kills it for real. None of this has run on a Windows machine.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { stopContainer } from '../../../src-main/core/containment/replica-container'
import { createContainment } from '../../../src-main/core/containment/containment'
import { batchFileArguments, quoteArgument } from '../../../src-main/core/platform/windows-command-line'
import type { WindowsTools } from '../../../src-main/core/platform/windows-tree-container'
import { processAlive } from '../../../src-main/core/proc'
import { killIfAlive } from '../orchestrator-helpers'

const children: ChildProcess[] = []
afterEach(() => killIfAlive(children.splice(0).map((child) => child.pid!)))

/** Windows' tools as a console program meets them: the polite taskkill cannot end it */
function consoleWindows(): { tools: WindowsTools; calls: string[] } {
  const calls: string[] = []
  const tools: WindowsTools = {
    comSpec: 'C:\\Windows\\System32\\cmd.exe',
    async run(file, args) {
      calls.push([file, ...args].join(' '))
      if (!args.includes('/F')) return 1 // "can only be terminated forcefully"
      process.kill(Number(args[1]), 'SIGKILL')
      return 0
    },
    alive: processAlive,
  }
  return { tools, calls }
}

function replicaProcess(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' })
  children.push(child)
  // reaped as soon as it dies, as Windows has no zombies
  child.on('exit', () => undefined)
  return child.pid!
}

describe('a replica on Windows', () => {
  it('is asked with taskkill /T, then ended with taskkill /T /F after the grace period', async () => {
    const { tools, calls } = consoleWindows()
    const container = createContainment({ platform: 'win32', windows: tools }).create('web_0000-1')
    const pid = replicaProcess()
    container.started(pid)
    const started = Date.now()
    await stopContainer(container, 300, 2000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(calls).toEqual([`taskkill /PID ${pid} /T`, `taskkill /PID ${pid} /T /F`])
    expect(processAlive(pid)).toBe(false)
  })

  it('is not ended by force when the polite request was enough', async () => {
    const calls: string[] = []
    const tools: WindowsTools = {
      comSpec: 'cmd.exe',
      async run(file, args) {
        calls.push([file, ...args].join(' '))
        process.kill(Number(args[1]), 'SIGTERM')
        return 0
      },
      alive: processAlive,
    }
    const container = createContainment({ platform: 'win32', windows: tools }).create('web_0000-1')
    const pid = replicaProcess()
    container.started(pid)
    await stopContainer(container, 5000, 2000)
    expect(calls).toEqual([`taskkill /PID ${pid} /T`])
  })

  it('runs a batch file through cmd.exe, an executable as it is', () => {
    const { tools } = consoleWindows()
    const container = createContainment({ platform: 'win32', windows: tools }).create('web_0000-1')
    expect(container.command('C:\\Program Files\\nodejs\\npm.cmd', ['start'])).toEqual({
      file: 'C:\\Windows\\System32\\cmd.exe',
      args: ['/d', '/s', '/c', '"^"C:\\Program Files\\nodejs\\npm.cmd^" ^"start^""'],
      verbatim: true,
    })
    expect(container.command('C:\\tools\\server.exe', ['--port', '80'])).toEqual({ file: 'C:\\tools\\server.exe', args: ['--port', '80'] })
  })
})

/** the C runtime's reading of a command line (what a program's argv becomes), written from its rules */
function crtSplit(line: string): string[] {
  const args: string[] = []
  let current = ''
  let inQuotes = false
  let started = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!
    if (char === '\\') {
      let count = 0
      while (line[i] === '\\') {
        count++
        i++
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(count / 2))
        if (count % 2 === 1) current += '"'
        else {
          inQuotes = !inQuotes
        }
      } else {
        current += '\\'.repeat(count)
        i--
      }
      started = true
    } else if (char === '"') {
      inQuotes = !inQuotes
      started = true
    } else if (char === ' ' && !inQuotes) {
      if (started) args.push(current)
      current = ''
      started = false
    } else {
      current += char
      started = true
    }
  }
  if (started) args.push(current)
  return args
}

describe("cmd.exe's command line", () => {
  const hard = ['start', 'two words', 'say "hi"', 'C:\\dir\\', 'a\\"b', '%PATH%', '!x!', 'a&b|c<d>e^f(g)', '', '\\\\server\\share\\', 'é ü']

  it('quotes each argument so the C runtime reads it back exactly', () => {
    for (const arg of hard) expect(crtSplit(quoteArgument(arg))).toEqual([arg])
  })

  it('gives a batch file every argument back once cmd.exe has read the line', () => {
    const [, , , line] = batchFileArguments('C:\\app\\run.cmd', hard)
    // with /s /c cmd.exe drops the outer quotes; every special character is ^-escaped, so it
    // only removes the carets
    const afterCmd = line!.slice(1, -1).replace(/\^(.)/g, '$1')
    expect(crtSplit(afterCmd)).toEqual(['C:\\app\\run.cmd', ...hard])
  })
})
