// Proxy under load: wrk through a binding of `micronetes run` while another replica floods
// its log, against the same without the flood. Shows what the proxy thread buys: on the
// orchestrator's own event loop, every proxied request would wait behind the log lines.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runMicronetes } from './lib/micronetes-cli'
import { freePort, waitForPort } from './lib/ports'
import { type LoadResult, wrk } from './lib/wrk'

export interface FloodFigures {
  quiet: LoadResult
  flood: LoadResult
}

const WEB = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)"
const FLOOD = "sleep 2; yes 'INFO 2026-11-26T12:00:00.000Z request handled method=GET path=/api/orders status=200' | head -c 5000000000; sleep 3600"

async function measure(withFlood: boolean, seconds: number): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-flood-'))
  const port = await freePort()
  await writeFile(join(dir, 'app.yaml'), [
    'name: proxy-under-flood',
    'services:',
    '  - name: web',
    '    executable: node',
    `    args: ${JSON.stringify(['-e', WEB])}`,
    `    bindings: [{ port: ${port} }]`,
    ...(withFlood ? ['  - name: flood', '    executable: sh', `    args: ${JSON.stringify(['-c', FLOOD])}`] : []),
    '',
  ].join('\n'))
  const cli = await runMicronetes(join(dir, 'app.yaml'))
  try {
    await waitForPort(port)
    // the flood starts two seconds after the replicas
    await new Promise((resolve) => setTimeout(resolve, 3000))
    return await wrk(`http://127.0.0.1:${port}/`, seconds, 10, 1)
  } finally {
    await cli.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

export async function floodBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<FloodFigures> {
  const seconds = quick ? 4 : 8
  const quiet = await measure(false, seconds)
  log(`flood: through the proxy, quiet: ${Math.round(quiet.requestsPerSec)} req/s, p50 ${quiet.p50Ms} ms, p99 ${quiet.p99Ms} ms`)
  const flood = await measure(true, seconds)
  log(`flood: through the proxy, during a log flood: ${Math.round(flood.requestsPerSec)} req/s, p50 ${flood.p50Ms} ms, p99 ${flood.p99Ms} ms`)
  return { quiet, flood }
}
