// The console writer thread's entry (console-thread.ts starts it; scripts/build-helpers.mjs
// builds it into out/helpers/console-writer.cjs): writes each batch it is handed to stdout,
// blocking on a paused terminal here rather than on the main thread.
import { writeSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import type { WriterBatch } from './console-writer-protocol'

const port = parentPort
if (!port) throw new Error('console-writer runs only as a worker thread')

const pause = new Int32Array(new SharedArrayBuffer(4))
/** batches numbered up to this one are skipped, not written (set at exit while far behind) */
const skipThrough = new Int32Array(workerData as SharedArrayBuffer)
let skipped = 0

function writeAll(bytes: Uint8Array): void {
  let done = 0
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done)
    } catch (err) {
      // a descriptor left non-blocking by someone else: wait for room
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5)
      else break
    }
  }
}

port.on('message', ({ seq, bytes }: WriterBatch) => {
  if (seq <= Atomics.load(skipThrough, 0)) {
    skipped += bytes.length
  } else {
    if (skipped > 0) {
      writeAll(Buffer.from(`… ${Math.ceil(skipped / 1024)} KiB of console output not shown at exit (the console was behind; every replica's log keeps it)\n`))
      skipped = 0
    }
    writeAll(bytes)
  }
  // every batch is answered, in order, with how many bytes it held
  port.postMessage(bytes.length)
})
