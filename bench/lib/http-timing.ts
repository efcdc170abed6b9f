// Sequential GETs on one keep-alive connection, timed one by one.
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

export function getText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}

export async function timeGet(url: string): Promise<number> {
  const started = process.hrtime.bigint()
  const { status } = await getText(url)
  if (status !== 200) throw new Error(`GET ${url} answered ${status}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}
