// Health and start order in the dashboard: a service waiting for its dependency says so and
// lists what it depends on, a replica with probes shows its health, and a service that was
// not started (autoStart: false) is started from its card.
import { join } from 'node:path'
import { expect, saveScreenshots, test as base } from './support/fixtures'
import { appYamlFixture, freePort, repoRoot, type RunningApp } from './support/micronetes-app'

const server = join(repoRoot, 'tests/fixtures/programs/health-server.mjs')

const test = base.extend<{ orderedApp: RunningApp }>({
  orderedApp: appYamlFixture(async () => {
    const ports = [await freePort(), await freePort(), await freePort()]
    return [
      'name: ordered',
      'services:',
      '  - name: db',
      '    executable: node',
      `    args: ${JSON.stringify(server)}`,
      // slow to listen, so api is seen waiting
      '    env: { LISTEN_AFTER_MS: "5000" }',
      `    bindings: [{ port: ${ports[0]} }]`,
      '    readiness:',
      '      http: { path: /ready }',
      '      period: 200ms',
      '    liveness:',
      '      http: { path: /health }',
      '  - name: api',
      '    executable: node',
      `    args: ${JSON.stringify(server)}`,
      `    bindings: [{ port: ${ports[1]} }]`,
      '    dependsOn:',
      '      db: { condition: ready }',
      '  - name: tools',
      '    executable: node',
      `    args: ${JSON.stringify(server)}`,
      `    bindings: [{ port: ${ports[2]} }]`,
      '    autoStart: false',
      '',
    ]
  }),
})

test('shows what a service waits for, a replica\'s health, and starts a service that was not started', async ({ page, orderedApp }) => {
  await page.goto(orderedApp.url)
  const api = page.getByRole('region', { name: 'api', exact: true })
  const db = page.getByRole('region', { name: 'db', exact: true })
  const tools = page.getByRole('region', { name: 'tools', exact: true })

  await expect(api.getByTestId('service-waiting')).toHaveText('waiting for db (ready)')
  await expect(api.getByTestId('service-summary')).toHaveText('waiting')
  await expect(api.getByTestId('depends-on')).toHaveText('depends on db (ready)')
  await expect(api.getByText('No replicas')).toBeVisible()
  await expect(tools.getByTestId('service-not-started')).toHaveText('Not started: autoStart is false. Start it when you need it.')
  await expect(tools.getByTestId('service-summary')).toHaveText('not started')
  // db does not listen yet: its readiness fails and says why
  await expect(db.getByTestId('replica-health')).toHaveText('unhealthy')
  await saveScreenshots(page, 'start-order-waiting')

  await tools.getByRole('button', { name: 'Start tools', exact: true }).click()
  await expect(tools.getByTestId('service-summary')).toHaveText('1/1 ready')
  await expect(tools.getByTestId('service-not-started')).toHaveCount(0)

  // once db answers /ready, api starts
  await expect(db.getByTestId('replica-health')).toHaveText('healthy', { timeout: 20_000 })
  await expect(db.getByTestId('replica-health')).toHaveAttribute('title', /^readiness: GET \/ready answered 200 \(since .+\)\nliveness: GET \/health answered 200/)
  await expect(api.getByTestId('service-summary')).toHaveText('1/1 ready', { timeout: 20_000 })
  await expect(api.getByTestId('service-waiting')).toHaveCount(0)
  await saveScreenshots(page, 'start-order-running')
})
