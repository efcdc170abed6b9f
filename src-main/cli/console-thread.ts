// The console written from a thread of its own when it is a terminal. Node writes to a terminal
// synchronously, so a terminal paused with Ctrl-S (or a terminal emulator that stops reading)
// blocked the main thread for as long as it lasted: the API, restarts and the dashboard froze
// with it. Here only the console thread waits; the main thread keeps going, and once 4 MiB wait
// behind it, ConsoleOutput skips lines and counts them.
import { Worker } from 'node:worker_threads'
import type { Sink } from './console-output'

/** CommonJS, run with eval: the bundled CLI has no file of its own to point a worker at */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { writeSync } = require('node:fs')
const pause = new Int32Array(new SharedArrayBuffer(4))
// batches numbered up to this one are skipped, not written (set at exit while far behind)
const skipThrough = new Int32Array(workerData)
let skipped = 0
function writeAll(bytes) {
  let done = 0
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done)
    } catch (err) {
      // a descriptor left non-blocking by someone else: wait for room
      if (err && err.code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5)
      else break
    }
  }
}
parentPort.on('message', ({ seq, bytes }) => {
  if (seq <= Atomics.load(skipThrough, 0)) {
    skipped += bytes.length
  } else {
    if (skipped > 0) {
      writeAll(Buffer.from('… ' + Math.ceil(skipped / 1024) + " KiB of console output not shown at exit (the console was behind; every replica's log keeps it)\\n"))
      skipped = 0
    }
    writeAll(bytes)
  }
  parentPort.postMessage(bytes.length)
})
`

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
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: skip })
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
      worker.postMessage({ seq, bytes: copy }, [copy.buffer])
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
