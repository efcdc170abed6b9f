// The sanitizer step never fails on LeakSanitizer's "Unable to get registers" note alone, and a
// real leak report still fails it: the report here comes from a real leaking program built with
// AddressSanitizer, as the relay's sanitized build is.
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error a plain script of the build, without types
import { sanitizerFindings } from '../../scripts/sanitizer-findings.mjs'

const findings = sanitizerFindings as (text: string) => string

describe('sanitizer findings', () => {
  it('a report holding only the note that a leak check was cut short is no finding', () => {
    expect(findings('==7242==Unable to get registers from thread 7239.\n==7242==Unable to get registers from thread 7240.\n')).toBe('')
  })

  it('the note beside anything else is', () => {
    expect(findings('==7242==Unable to get registers from thread 7239.\n==7242==ERROR: LeakSanitizer: detected memory leaks\n')).toContain('LeakSanitizer')
  })

  it('a real leak report is a finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'micronetes-leak-'))
    try {
      writeFileSync(join(dir, 'leak.c'), '#include <stdlib.h>\nvoid *kept;\nint main(void) { kept = malloc(64); kept = 0; return 0; }\n')
      const built = spawnSync(process.env.CC || 'cc', ['-O0', '-g', '-fsanitize=address', '-o', join(dir, 'leak'), join(dir, 'leak.c')])
      expect(built.status, built.stderr?.toString()).toBe(0)
      spawnSync(join(dir, 'leak'), { env: { ...process.env, ASAN_OPTIONS: `log_path=${join(dir, 'report')}:detect_leaks=1` } })
      const reports = readdirSync(dir).filter((name) => name.startsWith('report'))
      expect(reports).toHaveLength(1)
      const text = readFileSync(join(dir, reports[0]!), 'utf8')
      expect(findings(text)).toMatch(/LeakSanitizer: detected memory leaks/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
