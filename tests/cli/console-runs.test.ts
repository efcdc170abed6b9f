// The console prints a run of lines read together with the replica's prefix on every line,
// byte for byte as the replica wrote them.
import { describe, expect, it } from 'vitest'
import { ConsoleOutput } from '../../src-main/cli/console-output'
import { ConsoleReporter } from '../../src-main/cli/console-reporter'
import type { LogRun } from '../../src-main/core/logs/log-run'

function run(lines: string[], time: number): LogRun {
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''))
  const ends: number[] = []
  let at = -1
  for (const line of lines) ends.push((at += Buffer.byteLength(line) + 1))
  return { service: 'web', replica: 'web_1a2b3c4d-1', stream: 'stdout', time, firstSeq: 1, bytes, ends }
}

const PREFIX = /^\[\d\d:\d\d:\d\d INF\] \[web_1a2b3c4d-1\]: /

describe('console output of runs', () => {
  it('prefixes every line of a run, multi-byte text exact, through the console output', () => {
    const writes: string[] = []
    const output = new ConsoleOutput({ writableLength: 0, write: (bytes: Buffer) => writes.push(bytes.toString()) })
    const reporter = new ConsoleReporter((line) => output.line(line), (prefix, batch) => output.lines(prefix, batch.bytes, batch.ends))
    reporter.release()
    reporter.onLogRun(run(['first', 'é€ 😀', '$& $1 not patterns'], Date.now()))
    reporter.print('INF', 'between')
    reporter.onLogRun(run(['last'], Date.now()))
    output.flush()
    const lines = writes.join('').split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.filter((l) => PREFIX.test(l)).map((l) => l.replace(PREFIX, ''))).toEqual(['first', 'é€ 😀', '$& $1 not patterns', 'last'])
    expect(lines[3]).toMatch(/^\[\d\d:\d\d:\d\d INF\] between$/)
  })

  it('holds a run printed during start-up like any line, and prints it on release', () => {
    const lines: string[] = []
    const reporter = new ConsoleReporter((line) => lines.push(line))
    reporter.onLogRun(run(['a', 'b'], Date.now()))
    expect(lines).toEqual([])
    reporter.release()
    expect(lines.map((l) => l.replace(PREFIX, ''))).toEqual(['a', 'b'])
  })

  it('cleans the lines holding controls, keeps their colours, and leaves the others byte for byte', () => {
    const writes: Buffer[] = []
    const output = new ConsoleOutput({ writableLength: 0, write: (bytes: Buffer) => writes.push(Buffer.from(bytes)) })
    const reporter = new ConsoleReporter((line) => output.line(line), (prefix, batch) => output.lines(prefix, batch.bytes, batch.ends))
    reporter.release()
    reporter.onLogRun(run(['clean é 21° ©', 'a\x1b]0;title\x07b\x00\x08\rc \x1b[32mgreen\x1b[m', 'next', '\u009b6n\x1bP+q\x1b\\done'], Date.now()))
    output.flush()
    const lines = Buffer.concat(writes).toString().split('\n')
    lines.pop()
    expect(lines.map((l) => l.replace(PREFIX, ''))).toEqual(['clean é 21° ©', 'abc \x1b[32mgreen\x1b[m', 'next', '6ndone'])
  })
})

