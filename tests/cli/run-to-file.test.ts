// `micronetes run > file`: the console written straight to the file, every line whole and in order.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '../core/orchestrator-helpers'

const cli = join(import.meta.dirname, '..', '..', 'bin', 'micronetes.cjs')
const children: ChildProcess[] = []
const folders: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('micronetes run with its output in a file', () => {
  it('writes every replica line, multi-byte text included, and the last lines before it exits', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'micronetes-run-file-'))
    folders.push(folder)
    const app = join(folder, 'app.yaml')
    // 3,000 lines, more than one batch of console output, then one with multi-byte characters
    writeFileSync(app, `name: to-file
services:
  - name: talker
    executable: sh
    args: ["-c", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; echo 'é€ 😀 done'; exec sleep 60"]
`)
    const outFile = join(folder, 'out.txt')
    const fd = openSync(outFile, 'w')
    const child = spawn(process.execPath, [cli, 'run', app, '--port', '0', '--no-dashboard'], { stdio: ['ignore', fd, 'pipe'] })
    closeSync(fd)
    children.push(child)
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await waitFor('the last replica line in the file', () => readFileSync(outFile, 'utf8').includes('é€ 😀 done'), 15_000)
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    const lines = readFileSync(outFile, 'utf8').split('\n')
    expect(lines.pop()).toBe('')
    const replicaLines = lines.filter((l) => / \[talker_[0-9a-f]+-1\]: /.test(l)).map((l) => l.slice(l.indexOf(']: ') + 3))
    expect(replicaLines).toEqual([...Array.from({ length: 3000 }, (_, i) => `line ${i}`), 'é€ 😀 done'])
    expect(lines[lines.length - 1]).toMatch(/^\[\d\d:\d\d:\d\d INF\] Stopped$/)
  }, 30_000)
})
