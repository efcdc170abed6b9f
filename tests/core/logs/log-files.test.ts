// Per-replica log files and their size cap: a run of lines larger than what is left of a file
// (or than a whole file, as one read of a flooding replica gives) still leaves every file
// within the cap, cut at line ends, with the lines in order.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ReplicaLogFiles } from '../../../src-main/core/logs/log-files'
import type { LogRun } from '../../../src-main/core/logs/log-run'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function runOf(lines: string[], firstSeq = 0): LogRun {
  const bytes = Buffer.from(lines.map((l) => l + '\n').join(''))
  const ends: number[] = []
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) ends.push(i)
  return { service: 'loud', replica: 'loud_1', stream: 'stdout', time: Date.parse('2026-12-02T12:00:00Z'), firstSeq, bytes, ends }
}

describe('replica log files', () => {
  it('cuts a run larger than the cap at line ends: no file over the cap, nothing out of order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-log-files-'))
    folders.push(dir)
    const files = new ReplicaLogFiles(dir, { maxBytes: 4096, keep: 3 })
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(20)}`)
    // two runs: 100 lines (about 5 kB stamped), then 200
    files.run(runOf(lines.slice(0, 100)))
    files.run(runOf(lines.slice(100), 100))
    await files.close()
    const path = join(dir, 'loud_1.log')
    const kept = [`${path}.3`, `${path}.2`, `${path}.1`, path]
    for (const file of kept) expect(statSync(file).size).toBeLessThanOrEqual(4096)
    expect(existsSync(`${path}.4`)).toBe(false)
    const numbers = [...kept.map((f) => readFileSync(f, 'utf8')).join('').matchAll(/line (\d+) /g)].map((m) => Number(m[1]))
    expect(numbers.at(-1)).toBe(299)
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1)
  })

  it('gives a single line longer than the cap a file of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-log-files-'))
    folders.push(dir)
    const files = new ReplicaLogFiles(dir, { maxBytes: 1024, keep: 2 })
    files.run(runOf(['short one', 'y'.repeat(3000), 'short two']))
    await files.close()
    const path = join(dir, 'loud_1.log')
    expect(readFileSync(`${path}.2`, 'utf8')).toMatch(/ stdout short one\n$/)
    expect(readFileSync(`${path}.1`, 'utf8')).toMatch(/ stdout y{3000}\n$/)
    expect(readFileSync(path, 'utf8')).toMatch(/^\S+ stdout short two\n$/)
  })
})
