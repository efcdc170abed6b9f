// A container's stdout and stderr as lines. With Tty false the engine multiplexes both
// streams into one with 8-byte frame headers; FrameDemuxer splits them again without copying,
// and a splitter per stream frames the bytes into lines the way process output is framed (in
// batches where the replica's reader takes them).
import type Docker from 'dockerode'
import type { LineBatch } from '../line-splitter'
import { outputSplitter } from '../line-splitter'
import { FrameDemuxer } from './frame-demuxer'

export interface LineSinks {
  onLine(stream: 'stdout' | 'stderr', text: string): void
  onLines?(stream: 'stdout' | 'stderr', batch: LineBatch): void
}

/**
 * Attaches before the container starts, so not even its first line is missed.
 * `drained` settles once the stream ended and every line was delivered.
 */
export async function attachLines(container: Docker.Container, sinks: LineSinks): Promise<{ drained: Promise<void> }> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream
  const stdout = outputSplitter('stdout', sinks.onLine, sinks.onLines)
  const stderr = outputSplitter('stderr', sinks.onLine, sinks.onLines)
  const frames = new FrameDemuxer((bytes) => stdout.write(bytes), (bytes) => stderr.write(bytes))
  stream.on('data', (chunk: Buffer) => frames.write(chunk))
  const drained = new Promise<void>((resolve) => {
    let done = false
    const finish = () => {
      if (done) return
      done = true
      stdout.end()
      stderr.end()
      resolve()
    }
    stream.once('end', finish)
    stream.once('close', finish)
    // a broken log stream must not take the replica down with it; its exit comes from wait
    stream.once('error', finish)
  })
  return { drained }
}
