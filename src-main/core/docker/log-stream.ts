// A container's stdout and stderr as lines. With Tty false the engine multiplexes both
// streams into one with 8-byte frame headers; FrameDemuxer splits them again without copying,
// and a splitter per stream frames the bytes into lines the way process output is framed (in
// batches).
import type Docker from 'dockerode'
import { outputSplitter, type LineBatch } from '../line-splitter'
import { FrameDemuxer } from './frame-demuxer'

/**
 * Attaches before the container starts, so not even its first line is missed.
 * `drained` settles once the stream ended and every line was delivered.
 */
export async function attachLines(container: Docker.Container, onLines: (stream: 'stdout' | 'stderr', batch: LineBatch) => void): Promise<{ drained: Promise<void> }> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream
  const stdout = outputSplitter('stdout', onLines)
  const stderr = outputSplitter('stderr', onLines)
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
