// States beyond "ready": a replica that keeps crashing (exit code, restarts, next retry) and an
// external service (its bindings only, nothing to scale).
import { expect, saveScreenshots, test as base } from './support/fixtures'
import { appYamlFixture, freePort, type RunningApp } from './support/micronetes-app'

const test = base.extend<{ mixedApp: RunningApp }>({
  mixedApp: appYamlFixture(async () => {
    const dbPort = await freePort()
    return [
      'name: mixed',
      'services:',
      '  - name: flaky',
      '    executable: node',
      `    args: ["-e", "console.error('flaky: cannot read config.json'); setTimeout(() => process.exit(3), 300)"]`,
      '  - name: steady',
      '    executable: node',
      `    args: ["-e", "setInterval(() => console.log('steady: all good'), 1000)"]`,
      '  - name: db',
      '    external: true',
      '    bindings:',
      `      - port: ${dbPort}`,
      '        protocol: postgres',
      '        connectionString: "Host=${host};Port=${port}"',
      '',
    ]
  }),
})

test('a crashing replica shows its exit code, restarts and next retry; an external service only its binding', async ({ page, mixedApp }) => {
  await page.goto(mixedApp.url)
  const flaky = page.getByRole('region', { name: 'flaky', exact: true })
  const row = flaky.locator('tbody tr').first()
  await expect(row).toContainText('backoff', { timeout: 20_000 })
  await expect(row).toContainText(/retry in \d+s/)
  await expect(row.locator('td').nth(6)).toHaveText('3')
  await expect.poll(async () => Number(await row.locator('td.num').textContent())).toBeGreaterThan(0)
  await expect(flaky.getByTestId('service-summary')).toHaveText('0/1 ready')

  const db = page.getByRole('region', { name: 'db', exact: true })
  await expect(db.getByTestId('service-summary')).toHaveText('external')
  await expect(db).toContainText('External')
  await expect(db.getByRole('button', { name: 'Scale up db' })).toHaveCount(0)
  await expect(db.locator('table')).toHaveCount(0)

  // the crash's own words are in the replica's log
  await flaky.getByRole('button', { name: 'flaky', exact: true }).click()
  await expect(page.getByRole('log').locator('.xterm-rows')).toContainText('flaky: cannot read config.json')
  await saveScreenshots(page, 'crashing-and-external')
})
