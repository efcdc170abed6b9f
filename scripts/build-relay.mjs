// Builds the native programs with the system's C compiler: the proxy's relay (native/relay/*.c)
// into out/native/micronetes-relay, the replica launcher that joins a cgroup (native/launch/*.c)
// into out/native/micronetes-launch, the orphan watchdog (native/watchdog/*.c, the twin of
// orphan-watchdog.ts at 1 MB resident instead of 40) into out/native/micronetes-watchdog, and the
// replica spawner (native/spawn/*.c) into out/native/micronetes-spawn. Linux
// only (epoll, cgroups); elsewhere, or without a compiler, it says so in one line and the proxy
// runs on Node's threads, replicas are held by their process tree instead of a cgroup, the
// watchdog runs on Node. MICRONETES_RELAY_REQUIRED=1 makes a missing compiler an error (CI, so
// the native tests cannot pass by not building them).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const programs = [
  { source: join(root, 'native', 'relay'), output: join(root, 'out', 'native', 'micronetes-relay') },
  { source: join(root, 'native', 'launch'), output: join(root, 'out', 'native', 'micronetes-launch') },
  { source: join(root, 'native', 'watchdog'), output: join(root, 'out', 'native', 'micronetes-watchdog') },
  { source: join(root, 'native', 'spawn'), output: join(root, 'out', 'native', 'micronetes-spawn') },
]
const required = process.env.MICRONETES_RELAY_REQUIRED === '1'

function skip(reason) {
  const line = `native relay, launcher, watchdog and spawner not built: ${reason}; the proxy will run on Node threads, replicas without cgroups and started by Node's spawn(), the orphan watchdog on Node`
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

for (const { source, output } of programs) {
  mkdirSync(dirname(output), { recursive: true })
  const files = readdirSync(source).filter((name) => name.endsWith('.c')).map((name) => join(source, name))
  const flags = ['-O2', '-std=gnu11', '-pthread', '-Wall', '-Wextra', '-Werror', '-o', output]
  const result = spawnSync(compiler, [...flags, ...files], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`${output}: ${compiler} failed (see above)`)
    process.exit(1)
  }
}
