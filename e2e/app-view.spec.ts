// The application-wide views: one log for every replica of every service, merged in order and
// filtered; resources per replica; toasts for a crash loop, grouped; the dependency view.
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { expect, test as base } from './support/fixtures'
import { appYamlFixture, repoRoot, type RunningApp } from './support/micronetes-app'

const ticker = join(repoRoot, 'e2e/fixtures/ticker.mjs')

const test = base.extend<{ twoServices: RunningApp }>({
  twoServices: appYamlFixture(async () => {
    return [
      'name: two',
      'services:',
      '  - name: alpha',
      '    executable: node',
      `    args: [${JSON.stringify(ticker)}, alpha, "0"]`,
      '    bindings: [{ protocol: http }]',
      '  - name: beta',
      '    executable: node',
      `    args: [${JSON.stringify(ticker)}, beta, "200"]`,
      '    replicas: 2',
      '    dependsOn: [alpha]',
      '  - name: flaky',
      '    executable: node',
      `    args: ["-e", "console.error('flaky: ERROR cannot read config.json'); setTimeout(() => process.exit(3), 200)"]`,
      // flaky names alpha's address in its own settings: a discovery link
      '    env: { ALPHA_URL: "http://localhost:$SERVICE__ALPHA__PORT" }',
      '',
    ]
  }),
})

/** the lines of the application log as shown, each "<replica> │ <text>" */
async function shownLines(page: Page): Promise<string[]> {
  const text = await page.getByRole('log', { name: 'Application log' }).locator('.xterm-rows').innerText()
  return text.split('\n').map((l) => l.trim()).filter(Boolean)
}

function tickerLines(lines: string[]): { service: string; n: number; t: number }[] {
  return lines.flatMap((line) => {
    const m = /(alpha|beta) n=(\d+) t=(\d+)/.exec(line)
    return m ? [{ service: m[1]!, n: Number(m[2]), t: Number(m[3]) }] : []
  })
}

test('the application log merges two services in order and filters them', async ({ page, twoServices }) => {
  await page.goto(twoServices.url)
  await expect(page.getByRole('region', { name: 'alpha', exact: true })).toBeVisible()
  // let both write a few lines first, so the backlog merge is what is checked, then the live ones
  await page.waitForTimeout(1500)
  await page.getByRole('tab', { name: 'Application log' }).click()
  await expect.poll(async () => new Set(tickerLines(await shownLines(page)).map((l) => l.service)).size, { timeout: 10_000 }).toBe(2)
  await expect.poll(async () => tickerLines(await shownLines(page)).length, { timeout: 10_000 }).toBeGreaterThan(12)
  const merged = tickerLines(await shownLines(page))
  // in the order they were written: their own clocks never go back (writes are 200 ms apart at least)
  for (let i = 1; i < merged.length; i++) expect(merged[i]!.t, `line ${i} of ${JSON.stringify(merged)}`).toBeGreaterThanOrEqual(merged[i - 1]!.t)
  expect(merged.some((l) => l.service === 'alpha') && merged.some((l) => l.service === 'beta')).toBe(true)

  // filter by service: only beta's two replicas
  await page.getByRole('combobox', { name: 'Service' }).selectOption('beta')
  await expect.poll(async () => tickerLines(await shownLines(page)).length, { timeout: 10_000 }).toBeGreaterThan(3)
  const betaOnly = await shownLines(page)
  expect(tickerLines(betaOnly).every((l) => l.service === 'beta')).toBe(true)
  expect(new Set(betaOnly.map((l) => /^(beta_\w+-\d)/.exec(l)?.[1]).filter(Boolean)).size).toBe(2)

  // and by replica
  const first = /^(beta_\w+-1)/.exec(betaOnly.find((l) => /^beta_\w+-1/.test(l))!)![1]!
  await page.getByRole('combobox', { name: 'Replica' }).selectOption(first)
  await expect.poll(async () => (await shownLines(page)).filter((l) => l.includes(' n=')).length, { timeout: 10_000 }).toBeGreaterThan(2)
  expect((await shownLines(page)).filter((l) => l.includes(' n=')).every((l) => l.startsWith(first))).toBe(true)

  // a regular expression search counts its matches; a broken pattern says so
  await page.getByRole('button', { name: '.*' }).click()
  await page.getByRole('searchbox', { name: 'Search the application log' }).fill('n=\\d+ t=')
  await expect(page.locator('.app-logs .match-count')).toHaveText(/\d+ of \d+/)
  await page.getByRole('searchbox', { name: 'Search the application log' }).fill('n=(')
  await expect(page.locator('.app-logs .match-count')).toHaveText('Invalid pattern')

  // timestamps on request
  await page.getByRole('button', { name: 'Timestamps' }).click()
  await expect.poll(async () => (await shownLines(page)).some((l) => /^\d\d:\d\d:\d\d\.\d{3} beta_/.test(l)), { timeout: 10_000 }).toBe(true)
})

test('a crash loop is one toast, CPU and memory show per replica, the dependency view links beta to alpha', async ({ page, twoServices }) => {
  await page.goto(twoServices.url)
  const flaky = page.getByRole('region', { name: 'flaky', exact: true })
  // the third restart (about 3 s of backoff) is still the same toast
  await expect.poll(async () => Number(await flaky.locator('tbody tr td').nth(4).textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
  const toasts = page.getByRole('region', { name: 'Notifications' }).getByRole('alert')
  await expect(toasts).toHaveCount(1)
  await expect(toasts.first()).toContainText('flaky: a replica is in trouble')

  // resources: memory for each of beta's replicas, a sparkline, and the service total
  const beta = page.getByRole('region', { name: 'beta', exact: true })
  await expect(beta.locator('td[data-column="memory"]').first()).toContainText(/\d+(\.\d)? MB/, { timeout: 10_000 })
  await expect(beta.locator('td[data-column="memory"] svg polyline').first()).toBeAttached({ timeout: 10_000 })
  await expect(beta.getByTestId('service-totals')).toContainText(/CPU · \d/)
  // sorting by memory puts the largest first
  await beta.getByRole('button', { name: 'Memory' }).click()
  await expect(beta.getByRole('columnheader', { name: /Memory/ })).toHaveAttribute('aria-sort', 'descending')

  await page.getByRole('tab', { name: 'Dependencies' }).click()
  await expect(page.locator('[data-edge="beta->alpha"]')).toHaveClass(/edge-dependsOn/)
  await expect(page.locator('[data-edge="flaky->alpha"]')).toHaveClass(/edge-discovery/)
  await expect(page.locator('[data-edge^="alpha->"]')).toHaveCount(0)
  await expect(page.locator('[data-node="flaky"]')).toHaveClass(/tone-(warn|bad|busy)/)
  // clicking the toast shows its service
  await toasts.first().getByRole('button').first().click()
  await expect(flaky).toBeVisible()
})
