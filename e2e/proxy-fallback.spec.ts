// A native relay that cannot start leaves the proxies to the Node threads, and a replica spawner
// that cannot start leaves replicas to Node's spawn(); the dashboard's header says so, from the
// same session status the CLI prints its warnings from.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from './support/fixtures'
import { freePort, repoRoot, startApp } from './support/micronetes-app'

const server = join(repoRoot, 'tests/fixtures/programs/health-server.mjs')

test('the header notes proxies running on Node threads when the native relay failed', async ({ page }) => {
  const port = await freePort()
  const app = await startApp({
    // a "relay" that exits at once
    env: { MICRONETES_RELAY_PATH: '/bin/false', MICRONETES_PROXY: '' },
    prepare: async (dir) => {
      const file = join(dir, 'app.yaml')
      await writeFile(file, ['name: fallback', 'services:', '  - name: web', '    executable: node', `    args: ${JSON.stringify(server)}`, `    bindings: [{ port: ${port} }]`, ''].join('\n'))
      return file
    },
  })
  try {
    expect(app.output()).toContain('Proxy: the native relay failed')
    await page.goto(app.url)
    const note = page.locator('header .proxy-note')
    await expect(note).toHaveText('Proxies on Node threads')
    await expect(note).toHaveAttribute('title', /native relay failed: it exited/)
  } finally {
    await app.stop()
  }
})

test('the header notes replicas started by Node when micronetes-spawn failed', async ({ page }) => {
  const port = await freePort()
  const app = await startApp({
    // a "spawner" that exits at once
    env: { MICRONETES_SPAWN_PATH: '/bin/false' },
    prepare: async (dir) => {
      const file = join(dir, 'app.yaml')
      await writeFile(file, ['name: fallback', 'services:', '  - name: web', '    executable: node', `    args: ${JSON.stringify(server)}`, `    bindings: [{ port: ${port} }]`, ''].join('\n'))
      return file
    },
  })
  try {
    await page.goto(app.url)
    const note = page.locator('header .spawn-note')
    await expect(note).toHaveText('Replicas started by Node')
    await expect(note).toHaveAttribute('title', /micronetes-spawn exited before it was ready \(code 1\)/)
    // and the replica runs
    await expect(page.getByText('1/1').first()).toBeVisible()
    await page.screenshot({ path: test.info().outputPath('spawn-fallback.png') })
    expect(app.output()).toContain('Replicas: micronetes-spawn exited before it was ready (code 1)')
  } finally {
    await app.stop()
  }
})
