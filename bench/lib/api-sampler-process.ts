// Starts bench/api-sampler-process.ts (bundled beside the bench) and collects its samples.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { ApiSample } from './api-sampler'

export interface SamplerProcess {
  /** stops sending, and gives every sample and whether the sampler ran at a raised priority */
  stop(): Promise<{ samples: ApiSample[]; niced: boolean }>
}

export async function startSamplerProcess(url: string, intervalMs: number): Promise<SamplerProcess> {
  const child = spawn(process.execPath, [new URL('./api-sampler-process.mjs', import.meta.url).pathname, url, String(intervalMs)], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text))
  const exited = once(child, 'exit')
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null) throw new Error('the API sampler exited before it started')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return {
    async stop() {
      child.stdin.end('stop\n')
      const [code] = (await exited) as [number | null]
      if (code !== 0) throw new Error(`the API sampler exited with ${code}`)
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (!line) throw new Error('the API sampler gave no samples')
      return JSON.parse(line) as { samples: ApiSample[]; niced: boolean }
    },
  }
}
