// Bundles the headless CLI (src-main/cli) into out/cli/micronetes.js.
// Code splitting: each command is a chunk of its own, loaded only when it runs (main.ts), so
// `micronetes validate` does not load the orchestrator, the API server or dockerode. The
// chunks sit beside micronetes.js, not in a subfolder: helper-entry.ts and relay-binary.ts
// find out/helpers and out/native relative to the file that runs.
// The pure-JS dependencies are bundled in: zod and yaml alone are some 300 ES module files, and
// Node reading them one by one took half of `micronetes validate`'s time (src-shared imports zod
// as `import * as z`, so that what is not used, such as its messages in 40-odd languages, is left
// out). dockerode stays external (optional native parts; only `run` with containers loads it),
// and so do execa and pidusage (loaded by run only).
import { build } from 'esbuild'
import { rmSync } from 'node:fs'

// chunk names carry a hash: without clearing, every build would leave the last one's behind
rmSync('out/cli', { recursive: true, force: true })

await build({
  entryPoints: { micronetes: 'src-main/cli/main.ts' },
  outdir: 'out/cli',
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['dockerode', 'execa', 'pidusage'],
  // commander is CommonJS: its require() of Node's modules needs a require in an ES module
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
})
