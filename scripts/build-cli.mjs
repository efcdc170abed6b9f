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
// The command line is read with Node's own util.parseArgs (src-main/cli/command-line.ts): a
// parser library cost validate some 9 ms of its start (compiling it, and the child_process and
// net modules it loads).
import { build } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'

const { version } = JSON.parse(readFileSync('package.json', 'utf8'))

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
  // `micronetes --version`: main.ts declares it, this build defines it
  define: { MICRONETES_VERSION: JSON.stringify(version) },
  // the bundled CommonJS code (yaml's build for Node, which validate loads; http-proxy-3 and
  // picomatch, which run loads) require()s Node's modules: an ES module has no require of its own
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
})
