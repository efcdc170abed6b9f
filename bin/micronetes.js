#!/usr/bin/env node
// The `micronetes` command: runs the bundled CLI (npm run build makes it).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/cli/micronetes.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('micronetes: the CLI is not built yet; run `npm run build` (or `npm run build:cli`) first.')
  process.exit(2)
}
await import(pathToFileURL(cli).href)
