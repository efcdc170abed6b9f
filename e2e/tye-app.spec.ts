// A Project Tye application in the dashboard: the shop fixture opened as a folder (its
// tye.yaml found there), its ingress shown as a card beside the services, routes as links,
// tags, and a binding that is only a connection string.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, saveScreenshots, test as base } from './support/fixtures'
import { repoRoot, startApp, type RunningApp } from './support/micronetes-app'

const test = base.extend<{ shopApp: RunningApp }>({
  // eslint-disable-next-line no-empty-pattern
  shopApp: async ({}, use) => {
    const app = await startApp({ prepare: async () => join(repoRoot, 'tests/fixtures/tye/shop') })
    try {
      await use(app)
    } finally {
      await app.stop()
    }
  },
})

test("shows a Tye application's ingress, routes, tags and connection-string binding", async ({ page, shopApp }) => {
  await page.goto(shopApp.url)
  const gateway = page.getByRole('region', { name: 'gateway', exact: true })
  const frontend = page.getByRole('region', { name: 'frontend', exact: true })
  const inventory = page.getByRole('region', { name: 'inventorydb', exact: true })

  await expect(gateway.getByTestId('service-summary')).toHaveText('routing')
  await expect(gateway.locator('.service-meta').getByText('Ingress', { exact: true })).toBeVisible()
  await expect(gateway.getByRole('link', { name: /^http:\/\/localhost:\d+/ })).toBeVisible()
  await expect(frontend.getByRole('link', { name: '/health' })).toHaveAttribute('href', /^http:\/\/localhost:\d+\/health$/)
  await expect(frontend.getByLabel('Tags of frontend')).toHaveText('ui')
  await expect(inventory.getByText('Server=db.example.com;Database=inventory')).toBeVisible()
  await saveScreenshots(page, 'tye-app')
})

test('shows a Dapr sidecar as following its app, scaled when the app is', async ({ page }) => {
  // a stand-in daprd on PATH: the Dapr runtime does not install here
  const bin = await mkdtemp(join(tmpdir(), 'micronetes-e2e-daprd-'))
  const daprd = join(bin, 'daprd')
  await writeFile(daprd, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'tests/fixtures/programs/daprd-standin.mjs')}" "$@"\n`)
  await chmod(daprd, 0o755)
  const app = await startApp({
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    prepare: async (dir) => {
      const file = join(dir, 'tye.yaml')
      await writeFile(file, `name: dapr-app\nextensions:\n- name: dapr\nservices:\n- name: api\n  executable: ${process.execPath}\n  args: ${join(repoRoot, 'tests/fixtures/programs/path-echo.mjs')}\n  replicas: 2\n  bindings: [{protocol: http}]\n`)
      return file
    },
  })
  try {
    await page.goto(app.url)
    const sidecar = page.getByRole('region', { name: 'api-dapr', exact: true })
    await expect(sidecar.getByText('2 · follows api')).toBeVisible()
    await expect(sidecar.getByRole('button', { name: 'Scale up api-dapr' })).toHaveCount(0)
    await page.getByRole('button', { name: 'Scale up api', exact: true }).click()
    await expect(sidecar.getByText('3 · follows api')).toBeVisible()
    await saveScreenshots(page, 'tye-dapr')
  } finally {
    await app.stop()
    await rm(bin, { recursive: true, force: true })
  }
})
