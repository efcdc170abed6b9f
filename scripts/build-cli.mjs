// Bundles the headless CLI (src-main/cli) into out/cli/micronetes.js. Dependencies stay
// external: they are installed beside it (dockerode has optional native parts). Each command's
// module becomes a chunk loaded on demand; chunks sit beside the entry, so code that finds
// files from its own location (the relay, the dashboard) looks from the same folder.
import { build } from 'esbuild'
import { readdirSync, rmSync } from 'node:fs'

const outdir = 'out/cli'
// chunks are named by their hash: those of an earlier build would pile up
for (const file of readdirSync(outdir, { withFileTypes: true }).filter((f) => f.name.startsWith('chunk-'))) rmSync(`${outdir}/${file.name}`)

await build({
  entryPoints: { micronetes: 'src-main/cli/main.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
