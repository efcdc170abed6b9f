// The console written from a thread of its own when it is a terminal. Node writes to a terminal
// synchronously, so a terminal paused with Ctrl-S (or a terminal emulator that stops reading)
// blocked the main thread for as long as it lasted: the API, restarts and the dashboard froze
// with it. Here only the console thread waits; the main thread keeps going, and once 4 MiB wait
// behind it, ConsoleOutput skips lines and counts them.
import { Worker } from 'node:worker_threads'
import type { Sink } from './console-output'

/** CommonJS, run with eval: the bundled CLI has no file of its own to point a worker at */
const WRITER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { writeSync } = require('node:fs')
const pause = new Int32Array(new SharedArrayBuffer(4))
parentPort.on('message', (bytes) => {
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
  parentPort.postMessage(bytes.length)
})
`

export interface ThreadSink extends Sink {
  /** resolves once everything handed over is written, or after `timeoutMs` (a paused terminal) */
  drain(timeoutMs: number): Promise<void>
}

export function threadSink(): ThreadSink {
  const worker = new Worker(WRITER_SOURCE, { eval: true })
  // the console never keeps the process alive; run waits for it with drain() before exiting
  worker.unref()
  let waiting = 0
  let drained: (() => void)[] = []
  worker.on('message', (written: number) => {
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
      worker.postMessage(copy, [copy.buffer])
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
