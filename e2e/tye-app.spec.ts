// A Project Tye application in the dashboard: the shop fixture opened as a folder (its
// tye.yaml found there), its ingress shown as a card beside the services, routes as links,
// tags, and a binding that is only a connection string.
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
