// `npm test` builds everything before the browser tests; a bare `npx playwright test` builds
// whatever part is missing, so it never runs against nothing.
import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

export default function globalSetup(): void {
  const root = resolve(import.meta.dirname, '../..')
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executable)) {
    throw new Error(`Chromium not found at ${executable}: apt-get install -y chromium, or set CHROMIUM_PATH`)
  }
  if (!existsSync(resolve(root, 'out/cli/micronetes.cjs'))) {
    execFileSync('node', ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' })
  }
  if (!existsSync(resolve(root, 'out/renderer/index.html'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'e2e/renderer.vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  }
}
