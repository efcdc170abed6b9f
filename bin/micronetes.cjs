#!/usr/bin/env node
// The `micronetes` command: runs the bundled CLI (npm run build makes it) through the loader that
// keeps V8's compiled code between runs of the short commands (src-main/cli/bundle-loader.ts).
// CommonJS, as the bundle is: Node starts a CommonJS file sooner than an ES module
// (scripts/build-cli.mjs says why).
'use strict'
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const folder = join(__dirname, '..', 'out', 'cli')
const cli = join(folder, 'micronetes.cjs')
const loader = join(folder, 'bundle-loader.cjs')
if (!existsSync(cli) || !existsSync(loader)) {
  console.error('micronetes: the CLI is not built yet; run `npm run build` (or `npm run build:cli`) first.')
  process.exit(2)
}
require(loader).startCli(cli, process.argv.slice(2))
