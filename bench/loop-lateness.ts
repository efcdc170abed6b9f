// Loaded into `micronetes run` by the logs bench (node --import): how late the orchestrator's
// own event loop runs a 1 ms timer, stamped with the wall clock, written to
// MICRONETES_BENCH_LOOP_FILE as [wall ms, lateness ms] pairs when the process exits. The bench
// keeps the stamps that fall inside its flood, so the server's share of the API's latency can
// be told apart from the client's and the machine's (an API request waits at most this long
// for the loop before it is read). The timer adds 1,000 wake-ups a second to the process.
import { writeFileSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'

const file = process.env.MICRONETES_BENCH_LOOP_FILE
if (isMainThread && file) {
  const stamps: number[] = []
  const wall = (): number => performance.timeOrigin + performance.now()
  let expected = performance.now() + 1
  setInterval(() => {
    const now = performance.now()
    stamps.push(Math.round(wall() * 10) / 10, Math.round(Math.max(0, now - expected) * 100) / 100)
    expected = now + 1
  }, 1).unref()
  process.once('exit', () => {
    writeFileSync(file, JSON.stringify(stamps))
  })
}
