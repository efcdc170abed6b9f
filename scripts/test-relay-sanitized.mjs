// The proxy tests again on a build of the native relay with AddressSanitizer and
// UndefinedBehaviorSanitizer: a buffer overrun, a use after free, a leak or undefined behaviour
// anywhere the tests reach fails the run, with the sanitizer's report. Linux with gcc or clang.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sanitizerFindings } from './sanitizer-findings.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'native', 'relay')
const out = join(root, 'out', 'native-sanitized')
const binary = join(out, 'micronetes-relay')
const reports = join(out, 'reports')
const compiler = process.env.CC || 'cc'

if (process.platform !== 'linux') {
  console.log(`the native relay is Linux-only; nothing to check on ${process.platform}`)
  process.exit(0)
}
rmSync(out, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
const files = readdirSync(source).filter((name) => name.endsWith('.c')).map((name) => join(source, name))
const flags = ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-std=gnu11', '-pthread', '-Wall', '-Wextra', '-Werror']
const built = spawnSync(compiler, [...flags, '-o', binary, ...files], { stdio: 'inherit' })
if (built.error || built.status !== 0) {
  console.error(`could not build the sanitized relay with ${compiler}${built.error ? `: ${built.error.message}` : ''}`)
  process.exit(1)
}
console.log('proxy tests on the native relay built with AddressSanitizer and UndefinedBehaviorSanitizer')
const report = `log_path=${join(reports, 'report')}`
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const run = spawnSync(process.execPath, [vitest, 'run', 'tests/core/proxy/start-proxy.test.ts', 'tests/core/proxy/native-relay.test.ts', '-t', 'native relay'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    MICRONETES_RELAY_PATH: binary,
    ASAN_OPTIONS: `${report}:detect_leaks=1`,
    UBSAN_OPTIONS: `${report}:print_stacktrace=1`,
  },
})
const found = []
for (const name of readdirSync(reports)) {
  const text = readFileSync(join(reports, name), 'utf8')
  if (sanitizerFindings(text)) {
    found.push(name)
    console.error(text)
  } else console.log(`not a finding (a leak check cut short as the relay was killed exiting): ${text.trim()}`)
}
if (found.length > 0) {
  console.error(`the sanitizers reported ${found.length} problem(s) in the native relay (above)`)
  process.exit(1)
}
process.exit(run.status ?? 1)
