// A service card says the image `micronetes generate` runs the service from (app.yaml's deploy).
import { expect, test as base } from './support/fixtures'
import { appYamlFixture, type RunningApp } from './support/micronetes-app'

const test = base.extend<{ deployApp: RunningApp }>({
  deployApp: appYamlFixture(async () => {
    return [
      'name: deployed',
      'services:',
      '  - name: api',
      '    executable: node',
      `    args: ["-e", "setInterval(() => {}, 1000)"]`,
      '    deploy:',
      '      image: registry.example.com/shop/api:1.4',
      '  - name: plain',
      '    executable: node',
      `    args: ["-e", "setInterval(() => {}, 1000)"]`,
      '',
    ]
  }),
})

test('a service card shows the image it deploys as, and only when app.yaml names one', async ({ page, deployApp }) => {
  await page.goto(deployApp.url)
  const api = page.getByRole('region', { name: 'api', exact: true })
  await expect(api).toContainText('deploys as registry.example.com/shop/api:1.4')
  const plain = page.getByRole('region', { name: 'plain', exact: true })
  await expect(plain.getByTestId('service-summary')).toHaveText('1/1 ready')
  await expect(plain).not.toContainText('deploys as')
})
