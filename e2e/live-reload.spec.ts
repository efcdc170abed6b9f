// The dashboard while app.yaml is edited under a running application: a broken save shows its
// problems above the services that keep running; a good one says what changed, and the
// services follow (one added, one removed) without reloading the page.
import { readFile, writeFile } from 'node:fs/promises'
import { expect, saveScreenshots, test } from './support/fixtures'

test('shows a broken edit of app.yaml and then what a good one changed', async ({ app, dashboard: page }) => {
  const original = await readFile(app.appFile, 'utf8')

  const broken = original.replace(/replicas: 2/, 'replicas: two')
  const line = broken.split('\n').findIndex((l) => l.includes('replicas: two')) + 1
  await writeFile(app.appFile, broken)
  const notice = page.locator('[data-reload="invalid"]')
  await expect(notice).toBeVisible({ timeout: 15_000 })
  await expect(notice.getByRole('heading')).toHaveText('app.yaml has 1 problem; the application keeps running as it was')
  await expect(notice.locator('.problem-where')).toHaveText(new RegExp(`app\\.yaml:${line}:15$`))
  await expect(notice).toContainText('Fix it and save')
  await expect(page.getByRole('region', { name: 'web', exact: true })).toBeVisible()
  await saveScreenshots(page, 'reload-problems')

  const edited = `${original}  - name: extra\n    executable: node\n    args: -e "setInterval(() => {}, 1000)"\n`
  await writeFile(app.appFile, edited)
  await expect(page.locator('[data-reload="applied"]')).toContainText('app.yaml changed: extra added', { timeout: 15_000 })
  await expect(page.getByRole('region', { name: 'extra', exact: true })).toBeVisible()
  await expect(page.locator('[data-reload="invalid"]')).toHaveCount(0)

  await writeFile(app.appFile, original)
  await expect(page.locator('[data-reload="applied"]')).toContainText('app.yaml changed: extra removed', { timeout: 15_000 })
  await expect(page.getByRole('region', { name: 'extra', exact: true })).toHaveCount(0)
  await saveScreenshots(page, 'reload-applied')
})
