#!/usr/bin/env node
// The `micronetes` command: runs the bundled CLI (npm run build makes it).
import { existsSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/cli/micronetes.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('micronetes: the CLI is not built yet; run `npm run build` (or `npm run build:cli`) first.')
  process.exit(2)
}
// Node 22.1+ keeps V8's compiled code of the bundle between runs (in the temp folder): the
// second `micronetes validate` skips most of its compile time. Older Node has no such cache.
module.enableCompileCache?.()
await import(pathToFileURL(cli).href)
