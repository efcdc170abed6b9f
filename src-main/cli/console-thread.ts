// The console written from a thread of its own when it is a terminal. Node writes to a terminal
// synchronously, so a terminal paused with Ctrl-S (or a terminal emulator that stops reading)
// blocked the main thread for as long as it lasted: the API, restarts and the dashboard froze
// with it. Here only the console thread waits; the main thread keeps going, and once 4 MiB wait
// behind it, ConsoleOutput skips lines and counts them.
import { Worker } from 'node:worker_threads'
import { helperEntry } from '../core/helper-entry'
import type { Sink } from './console-output'
import type { WriterBatch } from './console-writer-protocol'

export interface ThreadSink extends Sink {
  /** resolves once everything handed over is written, or after `timeoutMs` (a paused terminal) */
  drain(timeoutMs: number): Promise<void>
  skipQueued(keepBytes: number): void
}

export function threadSink(): ThreadSink {
  const skip = new SharedArrayBuffer(4)
  const skipThrough = new Int32Array(skip)
  /** the batches handed over and not yet written, oldest first, as [seq, length] */
  const queued: [number, number][] = []
  let seq = 0
  const entry = helperEntry('console-writer')
  if (!entry) throw new Error('the console writer thread is not built (npm run build)')
  const worker = new Worker(entry, { workerData: skip, name: 'micronetes console' })
  // the console never keeps the process alive; run waits for it with drain() before exiting
  worker.unref()
  let waiting = 0
  let drained: (() => void)[] = []
  worker.on('message', (written: number) => {
    // the thread answers every batch, in order
    queued.shift()
    waiting -= written
    if (waiting > 0) return
    const done = drained
    drained = []
    for (const resolve of done) resolve()
  })
  // a console that cannot be written is not worth stopping the application for
  worker.on('error', () => undefined)
  return {
    get writableLength() {
      return waiting
    },
    write(bytes: Buffer): void {
      // a copy of its own, moved to the thread rather than copied again
      const copy = new Uint8Array(bytes)
      waiting += copy.length
      queued.push([++seq, copy.length])
      worker.postMessage({ seq, bytes: copy } satisfies WriterBatch, [copy.buffer])
    },
    skipQueued(keepBytes: number): void {
      // the newest batches up to keepBytes (at least the newest) are kept: they hold the last lines
      let kept = 0
      for (let i = queued.length - 1; i >= 0; i--) {
        const [number, length] = queued[i] as [number, number]
        if (i < queued.length - 1 && kept + length > keepBytes) {
          Atomics.store(skipThrough, 0, number)
          return
        }
        kept += length
      }
    },
    drain(timeoutMs: number): Promise<void> {
      if (waiting === 0) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        drained.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}
