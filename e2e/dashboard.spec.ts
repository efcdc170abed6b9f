// The dashboard as a person uses it, against a real `micronetes run` of examples/app.yaml.
import { readFile, writeFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect, saveScreenshots, test } from './support/fixtures'

interface TyeService {
  description: { replicas: number }
  replicas: Record<string, { pid?: number; state?: string }>
}

const service = (page: Page, name: string) => page.getByRole('region', { name, exact: true })
const summary = (page: Page, name: string) => service(page, name).getByTestId('service-summary')
const replicaRows = (page: Page, name: string) => service(page, name).locator('tbody tr')

test('lists both services with live replica counts, bindings and replica rows', async ({ dashboard: page, app }) => {
  await expect(summary(page, 'web')).toHaveText('2/2 ready')
  await expect(summary(page, 'worker')).toHaveText('3/3 ready')
  await expect(replicaRows(page, 'web')).toHaveCount(2)
  await expect(replicaRows(page, 'worker')).toHaveCount(3)

  const web = await app.get<TyeService>('/api/v1/services/web')
  const [firstName, first] = Object.entries(web.replicas)[0] ?? []
  const row = service(page, 'web').locator(`tr[data-replica="${firstName}"]`)
  await expect(row.getByRole('cell').first()).toHaveText(firstName ?? '')
  await expect(row).toContainText(String(first?.pid))
  await expect(row).toContainText('ready')

  // the binding is a link to the proxy's port
  const port = /port: (\d+)/.exec(await readFile(app.appFile, 'utf8'))?.[1]
  await expect(service(page, 'web').getByRole('link', { name: `http://localhost:${port}` })).toBeVisible()

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('example')
  await expect(page.getByText(app.url, { exact: true })).toBeVisible()
  await saveScreenshots(page, 'overview')
})

test('"Scale up web" and "Scale down web" change the real replica count', async ({ dashboard: page, app }) => {
  await expect(summary(page, 'web')).toHaveText('2/2 ready')

  await page.getByRole('button', { name: 'Scale up web', exact: true }).click()
  await expect(summary(page, 'web')).toHaveText('3/3 ready')
  await expect(replicaRows(page, 'web')).toHaveCount(3)
  const scaledUp = await app.get<TyeService>('/api/v1/services/web')
  expect(scaledUp.description.replicas).toBe(3)
  expect(Object.keys(scaledUp.replicas)).toHaveLength(3)
  await expect(page.getByRole('spinbutton', { name: 'Replicas of web' })).toHaveValue('3')
  await expect(page.getByRole('log', { name: 'Log of all replicas of web' })).toContainText(/web_[0-9a-f]+-3 │ web_[0-9a-f]+-3 listening on port/)
  await saveScreenshots(page, 'scaled-up')

  await page.getByRole('button', { name: 'Scale down web', exact: true }).click()
  await expect(summary(page, 'web')).toHaveText('2/2 ready')
  await expect(replicaRows(page, 'web')).toHaveCount(2)
  await expect.poll(async () => Object.keys((await app.get<TyeService>('/api/v1/services/web')).replicas).length).toBe(2)
  expect((await app.get<TyeService>('/api/v1/services/web')).description.replicas).toBe(2)

  // scaled up again, a new replica of the same name numbers its lines from 1 again: the
  // service's "All" tab, open all along, shows both of its starts
  // (counted with the pane's search, which sees the whole scrollback, not just the rows on screen)
  await page.getByRole('button', { name: 'Scale up web', exact: true }).click()
  await expect(summary(page, 'web')).toHaveText('3/3 ready')
  const search = page.getByRole('searchbox', { name: 'Search logs' })
  await search.fill('-3 listening on port')
  await expect
    .poll(async () => {
      await search.press('Enter')
      return page.locator('.match-count').textContent()
    })
    .toMatch(/of 2$/)
  await search.press('Escape')

  // a count the server refuses: its answer is shown in the service's card, until dismissed
  const webField = page.getByRole('spinbutton', { name: 'Replicas of web' })
  await webField.fill('101')
  await webField.press('Enter')
  const refusal = service(page, 'web').getByRole('alert')
  await expect(refusal).toContainText('Could not scale web to 101')
  await expect(refusal).toContainText('100')
  await expect(webField).toHaveValue('3')
  await saveScreenshots(page, 'action-refused')
  await refusal.getByRole('button', { name: 'Dismiss' }).click()
  await expect(refusal).toHaveCount(0)

  // the number field scales too
  const field = page.getByRole('spinbutton', { name: 'Replicas of worker' })
  await field.fill('1')
  await field.press('Enter')
  await expect(summary(page, 'worker')).toHaveText('1/1 ready')
  await expect.poll(async () => (await app.get<TyeService>('/api/v1/services/worker')).description.replicas).toBe(1)
})

test("a worker replica's tab shows its log lines in the terminal", async ({ dashboard: page }) => {
  await service(page, 'worker').getByRole('button', { name: 'worker', exact: true }).click()
  const tab = page.getByRole('tab', { name: /^worker_[0-9a-f]+-1$/ })
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  const replica = (await tab.textContent())?.trim() ?? ''

  const pane = page.getByRole('log', { name: `Log of ${replica}` })
  // the worker calls web every second and logs the answer, named after itself
  await expect(pane.locator('.xterm-rows')).toContainText(`${replica}: http://localhost:`)
  await expect(pane.locator('.xterm-rows')).toContainText('answered 200 from web_')
  const before = await pane.locator('.xterm-rows').innerText()
  const lines = (text: string) => text.split('\n').filter((l) => l.includes('answered')).length
  // then new lines stream in
  await expect.poll(async () => lines(await pane.locator('.xterm-rows').innerText()), { timeout: 10_000 }).toBeGreaterThan(lines(before))

  // details of the replica: command line, directory, discovery variables marked
  const details = page.getByRole('region', { name: `Details of ${replica}` })
  await expect(details).toContainText('node worker.js')
  const discovery = details.locator('tr.discovery th', { hasText: 'SERVICE__WEB__PORT' })
  await expect(discovery).toContainText('discovery')
  await details.getByRole('searchbox', { name: 'Filter environment' }).fill('APP_INSTANCE')
  await expect(details.locator('tbody tr')).toHaveCount(1)
  await expect(details.locator('tbody tr')).toContainText(replica)

  // search finds the replica's own name in its log
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('answered')
  await expect(page.locator('.match-count')).toHaveText(/of \d+/)
  await saveScreenshots(page, 'worker-logs')
})

test('restarting a replica changes its pid on screen', async ({ dashboard: page, app }) => {
  const web = await app.get<TyeService>('/api/v1/services/web')
  const [name, replica] = Object.entries(web.replicas).find(([n]) => n.endsWith('-1')) ?? []
  if (!name || replica?.pid === undefined) throw new Error(`no replica -1 with a pid in ${JSON.stringify(web.replicas)}`)
  const pidCell = service(page, 'web').locator(`tr[data-replica="${name}"] td[data-column="pid"]`)
  await expect(pidCell).toHaveText(String(replica.pid))

  await page.getByRole('button', { name: `Restart replica ${name}`, exact: true }).click()
  await expect(pidCell).not.toHaveText(String(replica.pid))
  await expect(pidCell).toHaveText(/^\d+$/)
  await expect(summary(page, 'web')).toHaveText('2/2 ready')
  const after = await app.get<TyeService>('/api/v1/services/web')
  await expect(pidCell).toHaveText(String(after.replicas[name]?.pid))
  await expect(service(page, 'web').locator(`tr[data-replica="${name}"] td.num`)).toHaveText('1')
})

test('stopping and starting a service', async ({ dashboard: page, app }) => {
  await page.getByRole('button', { name: 'Stop web', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Start web', exact: true })).toBeVisible()
  await expect(summary(page, 'web')).toHaveText('stopped')
  await expect.poll(async () => Object.values((await app.get<TyeService>('/api/v1/services/web')).replicas).filter((r) => r.pid !== undefined && r.state !== 'stopped').length).toBe(0)
  await expect(page.getByRole('button', { name: /^Restart replica web_/ }).first()).toBeDisabled()
  await saveScreenshots(page, 'stopped')

  await page.getByRole('button', { name: 'Start web', exact: true }).click()
  await expect(summary(page, 'web')).toHaveText('2/2 ready')
  await expect(page.getByRole('button', { name: 'Stop web', exact: true })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Restart web', exact: true })).toBeEnabled()
})

test('a bad app.yaml is shown as an error with file:line:col, and the application runs on', async ({ dashboard: page, app }) => {
  // the CLI refuses to start on a bad file, so the file turns bad while it runs and the
  // user reloads it from the dashboard, as after an edit
  const lines = ['name: example', 'services:', '  - name: web', '    executable: node', '    replicas: lots', '']
  await writeFile(app.appFile, lines.join('\n'))
  await page.getByRole('button', { name: 'Reload app.yaml' }).click()

  const problems = page.getByRole('alert').filter({ hasText: 'the application keeps running as it was' })
  await expect(problems).toBeVisible()
  await expect(problems).toContainText(new RegExp(`${escapeRegExp(app.appFile)}:5:\\d+`))
  await expect(problems).toContainText('replicas')
  await expect(summary(page, 'web')).toHaveText('2/2 ready')
  await saveScreenshots(page, 'bad-app-yaml')
})

test('a command not on PATH is shown as a warning with file:line:col, and the rest runs', async ({ dashboard: page, app }) => {
  const text = await readFile(app.appFile, 'utf8')
  const withLater = `${text.trimEnd()}\n  - name: later\n    executable: not-installed-yet-7c2e\n`
  await writeFile(app.appFile, withLater)
  await page.getByRole('button', { name: 'Reload app.yaml' }).click()

  const warnings = page.getByRole('status', { name: 'Warnings about app.yaml' })
  await expect(warnings).toBeVisible()
  const line = withLater.split('\n').findIndex((l) => l.includes('not-installed-yet-7c2e')) + 1
  await expect(warnings).toContainText(new RegExp(`${escapeRegExp(app.appFile)}:${line}:17`))
  await expect(warnings).toContainText('warning: service "later": executable "not-installed-yet-7c2e" is not on PATH')
  await expect(page.getByRole('region', { name: 'web', exact: true })).toBeVisible()
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

test('keyboard: arrows move between replica rows and log tabs, Enter opens a replica, "/" goes to search', async ({ dashboard: page }) => {
  // Up and Down move between replica rows, across services (workers start once web is ready)
  await expect(service(page, 'worker').locator('tbody tr')).toHaveCount(3)
  await service(page, 'web').locator('tbody tr').last().focus()
  await page.keyboard.press('ArrowDown')
  await expect(service(page, 'worker').locator('tbody tr').first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  const row = service(page, 'worker').locator('tbody tr').nth(1)
  await expect(row).toBeFocused()
  const name = (await row.getAttribute('data-replica')) ?? ''
  await page.keyboard.press('Enter')
  const tab = page.getByRole('tab', { name, exact: true })
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('region', { name: `Details of ${name}` })).toBeVisible()

  await tab.focus()
  await page.keyboard.press('ArrowRight')
  const next = page.getByRole('tab', { name: name.replace(/-2$/, '-3'), exact: true })
  await expect(next).toHaveAttribute('aria-selected', 'true')
  await expect(next).toBeFocused()
  await page.keyboard.press('Home')
  await expect(page.getByRole('tab', { name: 'All', exact: true })).toBeFocused()

  await page.locator('body').click({ position: { x: 5, y: 600 } })
  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox', { name: 'Search logs' })).toBeFocused()
})

test('closing the application leaves the empty state', async ({ dashboard: page, app }) => {
  await app.command('closeApplication')
  await expect(page.getByRole('heading', { name: 'No application running' })).toBeVisible()
  await expect(page.getByText('micronetes run app.yaml')).toBeVisible()
  // the headless CLI cannot open files: only the desktop app offers "Open app.yaml"
  await expect(page.getByRole('button', { name: 'Open app.yaml' })).toHaveCount(0)
  await saveScreenshots(page, 'empty')
})
