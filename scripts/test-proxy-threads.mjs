// The proxy tests again on the Node the desktop app embeds (see node-runtime.mjs): there the
// proxy threads share the binding port, which the Node running `npm test` (20) cannot do.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_RUNTIME_VERSION, nodeRuntime } from './node-runtime.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
let node
try {
  node = nodeRuntime()
} catch (error) {
  console.error(`${error.message}\nThe proxy's shared-port threads need Node ${NODE_RUNTIME_VERSION} to be tested.`)
  process.exit(1)
}
console.log(`proxy tests on Node ${NODE_RUNTIME_VERSION} (proxy threads sharing the port)`)
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const result = spawnSync(node, [vitest, 'run', 'tests/core/proxy'], { cwd: root, stdio: 'inherit' })
process.exit(result.status ?? 1)
