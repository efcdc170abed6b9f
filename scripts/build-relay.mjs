// Builds the proxy's native relay (native/relay/*.c) into out/native/micronetes-relay with the
// system's C compiler. Linux only (epoll); elsewhere, or without a compiler, it says so in one
// line and the proxy runs on Node's threads instead. MICRONETES_RELAY_REQUIRED=1 makes a
// missing compiler an error (CI, so the relay's tests cannot pass by not building it).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'native', 'relay')
const output = join(root, 'out', 'native', 'micronetes-relay')
const required = process.env.MICRONETES_RELAY_REQUIRED === '1'

function skip(reason) {
  const line = `native relay not built: ${reason}; the proxy will run on Node threads`
  if (required) {
    console.error(`${line} (MICRONETES_RELAY_REQUIRED=1)`)
    process.exit(1)
  }
  console.warn(line)
  process.exit(0)
}

if (process.platform !== 'linux') skip(`it is Linux-only (this is ${process.platform})`)
const compiler = process.env.CC || 'cc'
if (spawnSync(compiler, ['--version'], { stdio: 'ignore' }).error) skip(`no C compiler (${compiler}; on Debian: apt-get install gcc libc6-dev)`)

mkdirSync(dirname(output), { recursive: true })
const files = readdirSync(source).filter((name) => name.endsWith('.c')).map((name) => join(source, name))
const flags = ['-O2', '-std=gnu11', '-pthread', '-Wall', '-Wextra', '-Werror', '-o', output]
const result = spawnSync(compiler, [...flags, ...files], { stdio: 'inherit' })
if (result.status !== 0) {
  console.error(`native relay: ${compiler} failed (see above)`)
  process.exit(1)
}
