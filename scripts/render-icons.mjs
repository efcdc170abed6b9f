#!/usr/bin/env node
// Renders resources/icon.svg to the PNGs the app and electron-builder use, with the
// system's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium): build/icon.png for the
// installers (electron-builder derives .ico and .icns from it), resources/icon.png for the
// window. Run it after editing the SVG: node scripts/render-icons.mjs
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const svg = readFileSync(join(root, 'resources', 'icon.svg'), 'utf8')
const targets = [
  { file: join(root, 'build', 'icon.png'), size: 512 },
  { file: join(root, 'resources', 'icon.png'), size: 512 },
]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
})
try {
  for (const { file, size } of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 })
    const html = `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`
    await page.setContent(html)
    mkdirSync(dirname(file), { recursive: true })
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
    await page.close()
    console.log(`${file} (${size}x${size})`)
  }
} finally {
  await browser.close()
}
