// The test object the dashboard specs use: a running example application per test, and a
// page already showing its dashboard.
import { test as base, expect, type Page } from '@playwright/test'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot, startApp, type RunningApp } from './micronetes-app'

export const artifactsDir = join(repoRoot, 'e2e/artifacts')

interface Fixtures {
  app: RunningApp
  dashboard: Page
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const app = await startApp()
    try {
      await use(app)
    } finally {
      await app.stop()
    }
  },
  dashboard: async ({ page, app }, use) => {
    await page.goto(app.url)
    await expect(page.getByRole('region', { name: 'web', exact: true })).toBeVisible()
    await use(page)
  },
})

export { expect }

/** a screenshot of the dashboard in light and dark, for people to look at */
export async function saveScreenshots(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true })
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // the terminal repaints on the theme change in the next frame
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    await page.screenshot({ path: join(artifactsDir, `${name}-${colorScheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: null })
}
