// The package tests import the built dist/ the way a service does, and the example tests run the
// real `micronetes` command: build what they need once, first.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export default function setup(): void {
  const sdk = join(import.meta.dirname, '..')
  const root = join(sdk, '..')
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(sdk, 'tsconfig.build.json')], { stdio: 'inherit', cwd: sdk })
  // the root build (or the root tests' own setup) makes it too; build it only when absent
  if (!existsSync(join(root, 'out', 'cli', 'micronetes.cjs'))) {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit', cwd: root })
  }
}
