// `micronetes run --log-dir`: each replica's lines in a file of its own, rotated at the size cap.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSize } from '../../src-main/cli/run-command'
import { waitFor } from '../core/orchestrator-helpers'

const cli = join(import.meta.dirname, '..', '..', 'bin', 'micronetes.cjs')
const children: ChildProcess[] = []
const folders: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('micronetes run --log-dir', () => {
  it("writes each replica's lines to its own file, stamped, and rotates a file at its cap", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-log-dir-'))
    folders.push(folder)
    const app = join(folder, 'app.yaml')
    writeFileSync(
      app,
      `name: logged
services:
  - name: quiet
    executable: sh
    args: ["-c", "echo hello from quiet; echo oops >&2; exec sleep 60"]
  - name: loud
    executable: sh
    args: ["-c", "i=0; while [ $i -lt 4000 ]; do echo loud line $i padded to make it longer than most; i=$((i+1)); done; echo loud done; exec sleep 60"]
`,
    )
    const logs = join(folder, 'logs')
    const child = spawn(process.execPath, [cli, 'run', app, '--port', '0', '--no-dashboard', '--log-dir', logs, '--log-file-size', '64kB'], { stdio: 'ignore' })
    children.push(child)
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // <replica>.log, whether or not it is there this instant (a rotation opens the next one a moment later)
    const fileOf = (service: string): string => join(logs, readdirSync(logs).find((f) => f.startsWith(`${service}_`))!.replace(/\.log(\.\d+)?$/, '.log'))
    const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')
    await waitFor('both files', () => existsSync(logs) && ['quiet_', 'loud_'].every((p) => readdirSync(logs).some((f) => f.startsWith(p))), 15_000)
    await waitFor('the last loud line', () => read(fileOf('loud')).includes('loud done'), 15_000)
    child.kill('SIGTERM')
    expect(await exit).toBe(0)

    const quiet = readFileSync(fileOf('quiet'), 'utf8')
    expect(quiet).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stdout hello from quiet$/m)
    expect(quiet).toMatch(/ stderr oops$/m)
    expect(quiet).not.toContain('loud')

    // about 330 kB of lines (more than the four files hold): the current file and three rotated ones, each within the cap; the oldest lines are gone
    const loud = fileOf('loud')
    const rotated = [1, 2, 3].map((n) => `${loud}.${n}`)
    for (const file of [loud, ...rotated]) expect(statSync(file).size).toBeLessThanOrEqual(64 * 1024)
    expect(existsSync(`${loud}.4`)).toBe(false)
    expect(readFileSync(rotated[2]!, 'utf8')).not.toContain('loud line 0 ')
    const all = [...rotated].reverse().map((f) => readFileSync(f, 'utf8')).join('') + readFileSync(loud, 'utf8')
    const numbers = [...all.matchAll(/loud line (\d+) /g)].map((m) => Number(m[1]))
    // what is kept is in order and without a gap
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1)
    expect(numbers.at(-1)).toBe(3999)
  })

  it('reads sizes as people write them', () => {
    expect(parseSize('10MB')).toBe(10 * 1024 * 1024)
    expect(parseSize('512k')).toBe(512 * 1024)
    expect(parseSize('2048')).toBe(2048)
    expect(() => parseSize('ten')).toThrow(/--log-file-size ten: not a size/)
    expect(() => parseSize('10')).toThrow(/at least 1 kB/)
  })
})
