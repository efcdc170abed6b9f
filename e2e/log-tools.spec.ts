// The log pane's tools on a busy replica: follow and pause, clear, copy, download.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test as base } from './support/fixtures'
import { appYamlFixture, repoRoot, type RunningApp } from './support/micronetes-app'

const test = base.extend<{ busyApp: RunningApp }>({
  busyApp: appYamlFixture(async () => {
    const chatty = JSON.stringify(join(repoRoot, 'e2e/fixtures/chatty.mjs'))
    return ['name: busy', 'services:', '  - name: chatty', '    executable: node', `    args: [${chatty}]`, '    env:', '      LINES_PER_SECOND: "200"', '']
  }),
})

const rows = (page: Page) => page.getByRole('log').locator('.xterm-rows')
const numbers = async (page: Page): Promise<number[]> => [...(await rows(page).innerText()).matchAll(/chatty line (\d+)/g)].map((m) => Number(m[1]))

test('follow pauses on scrolling up and resumes; clear, copy and download', async ({ page, context, busyApp }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto(busyApp.url)
  await page.getByRole('tab', { name: /^chatty_[0-9a-f]+-1$/ }).click()
  await expect(rows(page)).toContainText('chatty line')
  const follow = page.getByRole('button', { name: 'Following new lines' })
  await expect(follow).toHaveAttribute('aria-pressed', 'true')
  // enough lines to scroll through
  await expect.poll(async () => Math.max(0, ...(await numbers(page))), { timeout: 20_000 }).toBeGreaterThan(400)

  // scrolling up pauses: what is on screen stays put while lines keep coming
  const box = await page.getByRole('log').boundingBox()
  if (!box) throw new Error('no log pane on screen')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.wheel(0, -1500)
  const paused = page.getByRole('button', { name: 'Paused: follow new lines' })
  await expect(paused).toHaveAttribute('aria-pressed', 'false')
  const shown = await numbers(page)
  await page.waitForTimeout(1000)
  expect(await numbers(page)).toEqual(shown)

  // the button jumps back to the newest line and follows again
  await paused.click()
  await expect(follow).toBeVisible()
  await expect.poll(async () => Math.max(0, ...(await numbers(page)))).toBeGreaterThan(Math.max(...shown) + 100)

  // download and copy hand over the pane's text, without colour codes
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download log' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^chatty_[0-9a-f]+-1-.*\.log$/)
  const file = await readFile(await download.path(), 'utf8')
  expect(file).toMatch(/^chatty line \d+ /m)
  expect(file).not.toContain('\x1b[')

  await page.getByRole('button', { name: 'Copy log' }).click()
  await expect.poll(async () => String(await page.evaluate('navigator.clipboard.readText()'))).toMatch(/chatty line \d+/)

  // clear empties the pane; the stream goes on after it
  const before = Math.max(...(await numbers(page)))
  await page.getByRole('button', { name: 'Clear log' }).click()
  await expect.poll(async () => Math.min(...(await numbers(page)))).toBeGreaterThan(before)
})
