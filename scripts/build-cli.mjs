// Bundles the headless CLI (src-main/cli) into out/cli/micronetes.js. Dependencies stay
// external: they are installed beside it (dockerode has optional native parts).
import { build } from 'esbuild'

await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/micronetes.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
