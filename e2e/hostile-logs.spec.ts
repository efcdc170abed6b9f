// Log content is written by services, so it is hostile: the pane shows its text and colours and
// obeys nothing else.
import { join } from 'node:path'
import { expect, test as base } from './support/fixtures'
import { appYamlFixture, repoRoot, type RunningApp } from './support/micronetes-app'

const test = base.extend<{ hostileApp: RunningApp }>({
  hostileApp: appYamlFixture(async () => {
    const script = JSON.stringify(join(repoRoot, 'e2e/fixtures/hostile.mjs'))
    return ['name: hostile', 'services:', '  - name: hostile', '    executable: node', `    args: [${script}]`, '']
  }),
})

test('clipboard writes, hyperlinks, titles and screen clears in a log are not obeyed', async ({ page, context, hostileApp }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  // record what a terminal obeying OSC 8 would do when its link is clicked
  await page.addInitScript(`
    window.__opened = []
    window.open = (url) => { window.__opened.push(String(url)); return null }
  `)
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.goto(hostileApp.url)
  await page.evaluate(`navigator.clipboard.writeText('untouched')`)

  const rows = page.getByRole('log').locator('.xterm-rows')
  await expect(rows).toContainText('clipboard attempt')
  await expect(rows).toContainText('click-me-link after link')
  await expect(rows).toContainText('title attempt')
  // the clear did not wipe what came before it
  await expect(rows).toContainText('clear attempt red text truecolor text')
  const text = await rows.innerText()
  expect(text).toContain('clipboard attempt')
  expect(text).not.toContain('52;')
  expect(text).not.toContain('evil.example')

  // colours are kept: "red text" is drawn in the red of the theme
  await expect(rows.locator('span', { hasText: 'red text' }).first()).toHaveClass(/xterm-fg-1/)
  await expect(rows.locator('span', { hasText: 'truecolor text' }).first()).toHaveCSS('color', 'rgb(255, 136, 0)')

  // the rows let pointer events through to xterm's screen, which is where a link would react
  // (rows are redrawn as lines arrive, so the position is read in one step)
  const box = await page.evaluate<{ x: number; y: number; height: number } | null>(`(() => {
    const span = [...document.querySelectorAll('.xterm-rows span')].find((s) => s.textContent.includes('click-me-link'))
    const r = span && span.getBoundingClientRect()
    return r ? { x: r.x, y: r.y, height: r.height } : null
  })()`)
  if (!box) throw new Error('the link text is not on screen')
  await page.mouse.move(box.x + 10, box.y + box.height / 2)
  await page.mouse.click(box.x + 10, box.y + box.height / 2)
  await page.waitForTimeout(500)
  expect(await page.evaluate('window.__opened')).toEqual([])
  expect(dialogs).toEqual([])
  expect(await page.title()).toBe('hostile · Micronetes')
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('untouched')
})
