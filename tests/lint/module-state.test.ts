// No process-wide state in core and api: every file's module-level mutable state is listed, and
// there must be none. State belongs on an object a host creates (core/runtime.ts and its parts).
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { moduleState } from './module-state'

const root = join(__dirname, '..', '..')

/**
 * Programs of their own, whose module state is that program's: the proxy worker thread and the
 * orphan watchdog process each run one per thread or process, never two hosts in one.
 */
const PROGRAM_ENTRIES = new Set(['src-main/core/proxy/proxy-thread.ts', 'src-main/core/orphan-watchdog.ts'])

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

describe('module-level mutable state', () => {
  it('none in src-main/core and src-main/api, helper programs aside', () => {
    const files = ['src-main/core', 'src-main/api'].flatMap((dir) => tsFiles(join(root, dir))).map((path) => relative(root, path))
    expect(files.length).toBeGreaterThan(100)
    for (const entry of PROGRAM_ENTRIES) expect(files).toContain(entry)
    const found = files
      .filter((file) => !PROGRAM_ENTRIES.has(file))
      .flatMap((file) => moduleState(file, readFileSync(join(root, file), 'utf8')).map((s) => `${file}:${s.line}: ${s.name} (${s.why})`))
    expect(found).toEqual([])
  })

  it.each([
    ['let now = 0\nexport function tick() { now++ }', ['now']],
    ['export let current: string | undefined', ['current']],
    ['var count = 0', ['count']],
    ['const seen = new Set<number>()\nexport function see(n: number) { seen.add(n) }', ['seen']],
    ['const byId = new Map<string, number>()\nexport const forget = (id: string) => byId.delete(id)', ['byId']],
    ['const queue: string[] = []\nexport function put(s: string) { queue.push(s) }', ['queue']],
    ['const counts = {} as Record<string, number>\nexport function count(k: string) { counts[k] = (counts[k] ?? 0) + 1 }', ['counts']],
    ['const last = { id: 0 }\nexport function bump() { last.id++ }', ['last']],
    ['export class Pool { static current: Pool | undefined }', ['Pool.current']],
  ])('flags %j', (code, names) => {
    expect(moduleState('x.ts', code).map((s) => s.name)).toEqual(names)
  })

  it.each([
    "const KNOWN = new Set(['a', 'b'])\nexport const known = (s: string) => KNOWN.has(s)",
    'const LIMITS = { max: 4 }\nexport const max = () => LIMITS.max',
    'const NAMES = [1, 2]\nexport function f() { const NAMES = new Set<number>(); NAMES.add(1); return NAMES }',
    'export class Book { private readonly seen = new Set<number>(); see(n: number) { this.seen.add(n) } }',
    'export function f() { let n = 0; n++; return n }',
    'export class Limits { static readonly MAX = 4; count = 0 }',
  ])('lets through %j', (code) => {
    expect(moduleState('x.ts', code)).toEqual([])
  })
})
