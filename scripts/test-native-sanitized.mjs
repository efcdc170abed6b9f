// The tests of the native relay and of the replica spawner again, on builds of them with
// AddressSanitizer and UndefinedBehaviorSanitizer: a buffer overrun, a use after free, a leak or
// undefined behaviour anywhere the tests reach fails the run, with the sanitizer's report. Linux
// with gcc or clang.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sanitizerFindings } from './sanitizer-findings.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'out', 'native-sanitized')
const reports = join(out, 'reports')
const compiler = process.env.CC || 'cc'
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')

/** each program: its sources, the variable that points the tests at a build, the tests that reach it */
const programs = [
  {
    name: 'micronetes-relay',
    source: join(root, 'native', 'relay'),
    variable: 'MICRONETES_RELAY_PATH',
    tests: ['tests/core/proxy/start-proxy.test.ts', 'tests/core/proxy/native-relay.test.ts', '-t', 'native relay'],
  },
  {
    name: 'micronetes-spawn',
    source: join(root, 'native', 'spawn'),
    variable: 'MICRONETES_SPAWN_PATH',
    tests: ['tests/core/native-spawn-protocol.test.ts', 'tests/core/replica-start.test.ts', '-t', 'micronetes-spawn'],
  },
]

if (process.platform !== 'linux') {
  console.log(`the native programs are Linux-only; nothing to check on ${process.platform}`)
  process.exit(0)
}
rmSync(out, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
const flags = ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-std=gnu11', '-pthread', '-Wall', '-Wextra', '-Werror']
const report = `log_path=${join(reports, 'report')}`
let status = 0
for (const program of programs) {
  const binary = join(out, program.name)
  const files = readdirSync(program.source).filter((name) => name.endsWith('.c')).map((name) => join(program.source, name))
  const built = spawnSync(compiler, [...flags, '-o', binary, ...files], { stdio: 'inherit' })
  if (built.error || built.status !== 0) {
    console.error(`could not build the sanitized ${program.name} with ${compiler}${built.error ? `: ${built.error.message}` : ''}`)
    process.exit(1)
  }
  console.log(`the tests of ${program.name}, on its build with AddressSanitizer and UndefinedBehaviorSanitizer`)
  const run = spawnSync(process.execPath, [vitest, 'run', ...program.tests], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      [program.variable]: binary,
      ASAN_OPTIONS: `${report}:detect_leaks=1`,
      UBSAN_OPTIONS: `${report}:print_stacktrace=1`,
    },
  })
  if (run.status !== 0) status = run.status ?? 1
}
const found = []
for (const name of readdirSync(reports)) {
  const text = readFileSync(join(reports, name), 'utf8')
  if (sanitizerFindings(text)) {
    found.push(name)
    console.error(text)
  } else console.log(`not a finding (a leak check cut short as a program was killed exiting): ${text.trim()}`)
}
if (found.length > 0) {
  console.error(`the sanitizers reported ${found.length} problem(s) in the native programs (above)`)
  process.exit(1)
}
process.exit(status)
