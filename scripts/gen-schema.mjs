// Writes schema/app.schema.json from the zod schema in src-shared/app-schema.ts: a build output
// (npm run build, or npm run schema alone), not committed, so it never lags the schema it comes from.
// esbuild bundles the TypeScript with zod inlined, so the result imports from a data: URL.
import { build } from 'esbuild'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = await build({
  entryPoints: [`${root}src-shared/app-schema.ts`],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
})
const source = bundle.outputFiles[0].text
const { appJsonSchema } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)
mkdirSync(`${root}schema`, { recursive: true })
const out = `${root}schema/app.schema.json`
writeFileSync(out, JSON.stringify(appJsonSchema(), null, 2) + '\n')
console.log(`wrote ${out.slice(root.length)}`)
