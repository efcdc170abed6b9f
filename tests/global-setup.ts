// Tests run the real `micronetes` command and the helper programs it starts (the orphan
// watchdog): build them once before the tests start.
import { execFileSync } from 'node:child_process'

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' })
  execFileSync(process.execPath, ['scripts/build-helpers.mjs'], { stdio: 'inherit' })
}
