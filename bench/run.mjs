// `npm run bench`: bundles the TypeScript benchmarks with esbuild (already a dev dependency)
// into bench/results/ and runs them. Flags: --quick, --json, --only proxy,logs,flood,scale,api
import { build } from 'esbuild'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outfile = join(here, 'results', 'bench.mjs')
mkdirSync(dirname(outfile), { recursive: true })
await build({
  entryPoints: [join(here, 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
})
await import(pathToFileURL(outfile).href)
