// The dashboard under a log flood: a replica printing thousands of lines a second while a
// person clicks around. A measurement that logs its figures (and saves them to
// e2e/artifacts/ui-speed.json), not a timing assertion: machines differ, the figures matter.
import { writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { artifactsDir, expect, test as base } from './support/fixtures'
import { repoRoot, startApp, type RunningApp } from './support/micronetes-app'
import { clickLatencyProbe, mainThreadProbe, percentile } from './support/page-probes'

const LINES_PER_SECOND = Number(process.env.UI_SPEED_LINES_PER_SECOND ?? 5000)
const FLOOD_SECONDS = Number(process.env.UI_SPEED_SECONDS ?? 20)

const test = base.extend<{ floodApp: RunningApp }>({
  // eslint-disable-next-line no-empty-pattern
  floodApp: async ({}, use) => {
    const app = await startApp({
      prepare: async (dir) => {
        const file = join(dir, 'app.yaml')
        const chatty = JSON.stringify(join(repoRoot, 'e2e/fixtures/chatty.mjs'))
        await writeFile(
          file,
          [
            'name: flood',
            'services:',
            '  - name: chatty',
            '    executable: node',
            `    args: [${chatty}]`,
            '    env:',
            `      LINES_PER_SECOND: "${LINES_PER_SECOND}"`,
            '  - name: quiet',
            '    executable: node',
            '    args: ["-e", "setInterval(() => console.log(\'tick\'), 1000)"]',
            '    replicas: 2',
            '',
          ].join('\n'),
        )
        return file
      },
    })
    try {
      await use(app)
    } finally {
      await app.stop()
    }
  },
})

test.setTimeout(FLOOD_SECONDS * 1000 + 90_000)
// recording a trace would load the page it measures
test.use({ trace: 'off', screenshot: 'off' })

test('stays responsive with a replica printing thousands of lines a second', async ({ page, floodApp }) => {
  await page.addInitScript(clickLatencyProbe + mainThreadProbe)
  await page.goto(floodApp.url)
  const chatty = page.getByRole('region', { name: 'chatty', exact: true })
  await expect(chatty.getByTestId('service-summary')).toHaveText('1/1 ready')
  await chatty.getByRole('button', { name: 'chatty', exact: true }).click()
  // one log pane is shown at a time, whichever tab is open
  const rows = page.getByRole('log').locator('.xterm-rows')
  await expect(rows).toContainText('chatty line')

  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  // a forced collection is itself a long task: only at the start and the end of the window
  const sample = async (collect = false) => {
    if (collect) await cdp.send('HeapProfiler.collectGarbage')
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN
    const seq = Number(/chatty line (\d+)(?![\s\S]*chatty line \d+)/.exec(await rows.innerText())?.[1] ?? NaN)
    return { at: Date.now(), heapMb: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes'), seq }
  }

  // let the flood settle in, then measure over FLOOD_SECONDS while clicking between tabs
  await page.waitForTimeout(3000)
  const first = await sample(true)
  // the figures cover the window after the first sample, not loading and the first collection
  await page.evaluate('window.__longTasks.length = 0; window.__frames.length = 0')
  const tabs = [page.getByRole('tab', { name: 'All' }), page.getByRole('tab', { name: /^chatty_[0-9a-f]+-1$/ })]
  // an odd count ends on the replica's own tab
  const clicks = Math.max(5, Math.floor(FLOOD_SECONDS / 1.5)) | 1
  const heap: number[] = [first.heapMb]
  for (let i = 0; i < clicks; i++) {
    await tabs[(i + 1) % 2]?.click()
    await page.waitForTimeout((FLOOD_SECONDS * 1000) / clicks)
    if (i % 3 === 2) heap.push((await sample()).heapMb)
  }
  // stay on the replica's own tab for a while, so the shown sequence reflects a steady stream
  const steadyFrom = await sample()
  await page.waitForTimeout(5000)
  const mid = await sample()
  await page.evaluate('window.__longTasksInWindow = [...window.__longTasks]; window.__framesInWindow = [...window.__frames]')
  const last = await sample(true)
  heap.push(last.heapMb)

  const latencies = await page.evaluate<number[]>('window.__clickLatencies')
  const longTasks = await page.evaluate<number[]>('window.__longTasksInWindow')
  const frames = await page.evaluate<number[]>('window.__framesInWindow')
  const figures = {
    linesPerSecondWritten: LINES_PER_SECOND,
    linesPerSecondShown: Math.round(((mid.seq - steadyFrom.seq) * 1000) / (mid.at - steadyFrom.at)),
    clicks: latencies.length,
    clickToFrameMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(...latencies)) },
    frameIntervalMs: { p50: round(percentile(frames, 50)), p95: round(percentile(frames, 95)), max: round(Math.max(...frames)) },
    longTasks: { count: longTasks.length, totalMs: round(longTasks.reduce((a, b) => a + b, 0)), maxMs: round(Math.max(0, ...longTasks)) },
    heapMb: { firstAfterGc: round(first.heapMb), lastAfterGc: round(last.heapMb), maxBetween: round(Math.max(...heap)) },
    domNodes: { first: first.nodes, last: last.nodes },
    seconds: round((last.at - first.at) / 1000),
  }
  console.log(`UI speed under a ${LINES_PER_SECOND} lines/s flood:\n${JSON.stringify(figures, null, 2)}`)
  await mkdir(artifactsDir, { recursive: true })
  await writeFile(join(artifactsDir, 'ui-speed.json'), JSON.stringify(figures, null, 2) + '\n')
  await test.info().attach('ui-speed.json', { body: JSON.stringify(figures, null, 2), contentType: 'application/json' })

  // what must hold whatever the machine: every click was answered and lines kept arriving
  expect(latencies.length).toBe(clicks)
  expect(mid.seq).toBeGreaterThan(steadyFrom.seq)
})

function round(n: number): number {
  return Math.round(n * 10) / 10
}
