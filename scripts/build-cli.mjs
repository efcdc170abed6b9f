// Bundles the headless CLI (src-main/cli) into out/cli/micronetes.cjs, one CommonJS file, and
// the loader that runs it with V8's code cache (src-main/cli/bundle-loader.ts) into
// out/cli/bundle-loader.cjs; bin/micronetes.cjs runs the one through the other.
// CommonJS, not ES modules: Node starts an ES module graph some 6-10 ms slower than a CommonJS
// file (its loader, resolving and linking each chunk), and V8's code cache can be handed to a
// CommonJS wrapper (vm.Script) on every Node we support, where Node 20 has no cache for ES
// modules. One file: each command's code is still evaluated only when that command runs (esbuild
// wraps what main.ts imports dynamically in functions called on first use), and with the cache,
// what is never called costs little more than reading it. So `micronetes validate` does not run
// the orchestrator's, the API server's or dockerode's module code.
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

// what an earlier build left (the ES module chunks of older builds among them) goes
rmSync('out/cli', { recursive: true, force: true })

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' }
await build({
  ...common,
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/micronetes.cjs',
  external: ['dockerode', 'execa', 'pidusage'],
  define: {
    // `micronetes --version`: main.ts declares it, this build defines it
    MICRONETES_VERSION: JSON.stringify(version),
    // helper-entry.ts and dashboard-files.ts find out/helpers, out/native and the dashboard
    // beside the file that runs: in CommonJS that is __filename
    'import.meta.url': '__cliFileUrl',
  },
  banner: { js: "const __cliFileUrl = require('node:url').pathToFileURL(__filename).href;" },
})
await build({ ...common, entryPoints: ['src-main/cli/bundle-loader.ts'], outfile: 'out/cli/bundle-loader.cjs' })
