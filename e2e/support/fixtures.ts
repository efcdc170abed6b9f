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
  page: Page
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
  // every page of every test: a CSP violation or an uncaught error fails the test
  page: async ({ page }, use) => {
    const faults = watchPageFaults(page)
    await use(page)
    expect(faults, 'CSP violations and uncaught errors in the page').toEqual([])
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

/** what must never happen in the page: a Content-Security-Policy violation or an uncaught error */
export function watchPageFaults(page: Page): string[] {
  const faults: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) faults.push(message.text())
  })
  page.on('pageerror', (error) => faults.push(`uncaught: ${error.message}`))
  return faults
}
