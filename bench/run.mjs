// `npm run bench`: bundles the TypeScript benchmarks with esbuild (already a dev dependency)
// into bench/results/ and runs them. Flags: --quick, --json, --only startup,footprint,proxy,logs,flood,scale,sampling,live,api,ui
import { build } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outdir = join(here, 'results')
mkdirSync(outdir, { recursive: true })
await build({
  // the runner, the proxy alone (run by the proxy bench with each Node it measures), the
  // event-loop timer the logs bench loads into micronetes run, its API sampler, and the bare
  // Node server that is the floor of the API's latency under a flood
  entryPoints: { bench: join(here, 'main.ts'), 'proxy-server': join(here, 'proxy-server.ts'), 'loop-lateness': join(here, 'loop-lateness.ts'), 'api-sampler-process': join(here, 'api-sampler-process.ts'), 'flood-reference-server': join(here, 'flood-reference-server.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
})
// the proxy's native relay, as npm run build makes it (one line says so where it cannot)
const relay = spawnSync(process.execPath, [join(here, '..', 'scripts', 'build-relay.mjs')], { stdio: 'inherit' })
if (relay.status !== 0) process.exit(relay.status ?? 1)
await import(pathToFileURL(join(outdir, 'bench.mjs')).href)
