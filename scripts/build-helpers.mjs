// Bundles the helper programs Micronetes starts beside itself (processes and worker threads)
// into out/helpers/<name>.cjs, each a standalone script (Node built-ins only) with its source
// map, so a helper process's stack trace points at its real lines (it runs with
// --enable-source-maps); a thread's points into its bundle, unminified, each part headed by the
// file it comes from. Nothing of it is committed.
// CommonJS, not ESM: the ESM loader alone cost the watchdog 5 MB more RSS (48.5 against 43 MB).
import { build } from 'esbuild'

const helpers = {
  'orphan-watchdog': 'src-main/core/orphan-watchdog.ts',
  // worker threads: the proxy's (proxy-worker.ts starts it) and the console writer's
  'proxy-thread': 'src-main/core/proxy/proxy-thread.ts',
  'console-writer': 'src-main/cli/console-writer.ts',
}

await build({
  entryPoints: helpers,
  outdir: 'out/helpers',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: true,
  logLevel: 'warning',
})
