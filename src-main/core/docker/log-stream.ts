// A container's stdout and stderr as lines. With Tty false the engine multiplexes both
// streams into one with 8-byte frame headers; demuxStream splits them again, and a
// LineSplitter per stream frames the bytes into lines the way process pipes are framed.
import type Docker from 'dockerode'
import { Writable } from 'node:stream'
import { LineSplitter } from '../line-splitter'

export type LineSink = (stream: 'stdout' | 'stderr', text: string) => void

/**
 * Attaches before the container starts, so not even its first line is missed.
 * `drained` settles once the stream ended and every line was delivered.
 */
export async function attachLines(docker: Docker, container: Docker.Container, onLine: LineSink): Promise<{ drained: Promise<void> }> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream
  const stdout = new LineSplitter((text) => onLine('stdout', text))
  const stderr = new LineSplitter((text) => onLine('stderr', text))
  docker.modem.demuxStream(stream, sinkOf(stdout), sinkOf(stderr))
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

function sinkOf(splitter: LineSplitter): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      splitter.write(chunk)
      callback()
    },
  })
}
