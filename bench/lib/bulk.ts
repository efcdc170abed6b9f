// One large HTTP download through a path, timed by curl, which writes to /dev/null.
import { run } from './processes'

export async function bulkGBps(url: string, expectBytes: number): Promise<number> {
  const out = await run('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', url], 300_000)
  const [size, seconds] = out.trim().split(' ').map(Number)
  if (size !== expectBytes || !seconds) throw new Error(`bulk download from ${url} got ${size} of ${expectBytes} bytes`)
  return expectBytes / seconds / 1e9
}
