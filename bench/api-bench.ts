// API: p50/p99 of GET /api/v1/services from `micronetes run` with 200 replicas running.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getText, percentile, timeGet } from './lib/http-timing'
import { runMicronetes } from './lib/micronetes-cli'
import { sleepersYaml } from './scale-bench'

export interface ApiFigures {
  replicas: number
  requests: number
  p50Ms: number
  p99Ms: number
  responseKb: number
}

async function countLive(apiUrl: string): Promise<{ live: number; bytes: number }> {
  const { body } = await getText(`${apiUrl}/api/v1/services`)
  const services = JSON.parse(body) as { replicas: Record<string, { state: string }> }[]
  let live = 0
  for (const service of services) {
    for (const replica of Object.values(service.replicas)) if (replica.state === 'running' || replica.state === 'ready') live++
  }
  return { live, bytes: body.length }
}

export async function apiBench({ quick, log }: { quick: boolean; log(line: string): void }): Promise<ApiFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-api-'))
  const app = join(dir, 'app.yaml')
  await writeFile(app, sleepersYaml())
  const cli = await runMicronetes(app)
  try {
    const deadline = Date.now() + 60_000
    let state = await countLive(cli.apiUrl)
    while (state.live < 200) {
      if (Date.now() > deadline) throw new Error(`only ${state.live} of 200 replicas running after a minute`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      state = await countLive(cli.apiUrl)
    }
    const requests = quick ? 300 : 2000
    const latencies: number[] = []
    for (let i = 0; i < 20; i++) await timeGet(`${cli.apiUrl}/api/v1/services`)
    for (let i = 0; i < requests; i++) latencies.push(await timeGet(`${cli.apiUrl}/api/v1/services`))
    const figures = {
      replicas: 200,
      requests,
      p50Ms: round2(percentile(latencies, 50)),
      p99Ms: round2(percentile(latencies, 99)),
      responseKb: Math.round(state.bytes / 1024),
    }
    log(`api: GET /api/v1/services (${figures.responseKb} KB) p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms over ${requests} requests`)
    return figures
  } finally {
    await cli.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
