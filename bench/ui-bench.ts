// The dashboard under a log flood: a replica printing thousands of lines a second while a
// person clicks between its log tabs, in headless Chromium against a real `micronetes run`.
// Figures: lines shown per second, click to painted frame, frame intervals, long tasks and
// the page's heap after garbage collection.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { runMicronetes } from './lib/micronetes-cli'
import { clickLatencyProbe, mainThreadProbe, percentile } from './lib/page-probes'

export interface UiFigures {
  linesPerSecondWritten: number
  linesPerSecondShown: number
  clicks: number
  clickToFrameMs: { p50: number; p95: number; max: number }
  frameIntervalMs: { p50: number; p95: number; max: number }
  longTasks: { count: number; totalMs: number; maxMs: number }
  heapMb: { firstAfterGc: number; lastAfterGc: number; maxBetween: number }
  domNodes: { first: number; last: number }
  seconds: number
}

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export async function uiBench(opts: { quick: boolean; log: (line: string) => void }): Promise<UiFigures> {
  const linesPerSecond = Number(process.env.UI_SPEED_LINES_PER_SECOND ?? 5000)
  const floodSeconds = Number(process.env.UI_SPEED_SECONDS ?? (opts.quick ? 8 : 20))
  if (!existsSync('out/renderer/index.html')) throw new Error('bench ui: the dashboard is not built; run `npm run build` first')
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-ui-bench-'))
  const chatty = JSON.stringify(resolve('e2e/fixtures/chatty.mjs'))
  const file = join(dir, 'app.yaml')
  await writeFile(
    file,
    [
      'name: flood',
      'services:',
      '  - name: chatty',
      '    executable: node',
      `    args: [${chatty}]`,
      '    env:',
      `      LINES_PER_SECOND: "${linesPerSecond}"`,
      '  - name: quiet',
      '    executable: node',
      '    args: ["-e", "setInterval(() => console.log(\'tick\'), 1000)"]',
      '    replicas: 2',
      '',
    ].join('\n'),
  )
  opts.log(`bench ui: ${linesPerSecond} lines/s for ${floodSeconds} s, clicking between log tabs`)
  const app = await runMicronetes(file, { dashboard: true })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.addInitScript(clickLatencyProbe + mainThreadProbe)
    await page.goto(`${app.apiUrl}/`)
    const chattyCard = page.getByRole('region', { name: 'chatty', exact: true })
    await chattyCard.getByRole('button', { name: 'chatty', exact: true }).click()
    const rows = page.getByRole('log').locator('.xterm-rows')
    await rows.getByText('chatty line').first().waitFor({ timeout: 30_000 })

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

    // let the flood settle in, then measure while clicking between tabs
    await page.waitForTimeout(3000)
    const first = await sample(true)
    await page.evaluate('window.__longTasks.length = 0; window.__frames.length = 0')
    const tabs = [page.getByRole('tab', { name: 'All' }), page.getByRole('tab', { name: /^chatty_[0-9a-f]+-1$/ })]
    // an odd count ends on the replica's own tab
    const clicks = Math.max(5, Math.floor(floodSeconds / 1.5)) | 1
    const heap: number[] = [first.heapMb]
    for (let i = 0; i < clicks; i++) {
      await tabs[(i + 1) % 2]?.click()
      await page.waitForTimeout((floodSeconds * 1000) / clicks)
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
    if (latencies.length !== clicks) throw new Error(`bench ui: ${clicks - latencies.length} of ${clicks} clicks were never answered`)
    return {
      linesPerSecondWritten: linesPerSecond,
      linesPerSecondShown: Math.round(((mid.seq - steadyFrom.seq) * 1000) / (mid.at - steadyFrom.at)),
      clicks: latencies.length,
      clickToFrameMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(...latencies)) },
      frameIntervalMs: { p50: round(percentile(frames, 50)), p95: round(percentile(frames, 95)), max: round(Math.max(...frames)) },
      longTasks: { count: longTasks.length, totalMs: round(longTasks.reduce((a, b) => a + b, 0)), maxMs: round(Math.max(0, ...longTasks)) },
      heapMb: { firstAfterGc: round(first.heapMb), lastAfterGc: round(last.heapMb), maxBetween: round(Math.max(...heap)) },
      domNodes: { first: first.nodes, last: last.nodes },
      seconds: round((last.at - first.at) / 1000),
    }
  } finally {
    await browser.close()
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
