// Fetches a pinned Node.js of another major into .cache/ from the npm registry (the
// node-<platform>-<arch> packages hold the official binaries), for what must be checked on the
// Node the desktop app embeds: Electron 45 runs Node 24, where proxy threads can share a port.
//   node scripts/node-runtime.mjs        prints the path of its `node`, fetching it if needed
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const NODE_RUNTIME_VERSION = '24.21.0'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const home = join(root, '.cache', `node-${NODE_RUNTIME_VERSION}`)
const binary = join(home, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')

/** the path of the pinned Node's executable, fetched on first use */
export function nodeRuntime() {
  if (existsSync(binary)) return binary
  const name = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`
  const scratch = `${home}.partial`
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  try {
    execFileSync('npm', ['pack', '--silent', `${name}@${NODE_RUNTIME_VERSION}`], { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] })
    const archive = readdirSync(scratch).find((file) => file.endsWith('.tgz'))
    if (!archive) throw new Error('npm pack wrote no archive')
    execFileSync('tar', ['-xzf', archive], { cwd: scratch })
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    throw new Error(`could not fetch Node ${NODE_RUNTIME_VERSION} (${name} from the npm registry): ${error.message}`, { cause: error })
  }
  rmSync(home, { recursive: true, force: true })
  renameSync(join(scratch, 'package'), home)
  rmSync(scratch, { recursive: true, force: true })
  return binary
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(nodeRuntime())
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
