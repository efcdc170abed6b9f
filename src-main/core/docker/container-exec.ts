// An exec probe inside a running container (docker exec): healthy when the command exits 0.
// The engine cannot kill an exec, so one that outlives its timeout is left to finish and
// counted as failed.
import type Docker from 'dockerode'
import { engineReason } from './engine-errors'
import { FrameDemuxer } from './frame-demuxer'

/** the last bit of output is quoted when the command fails: what a person would look at first */
const KEEP_OUTPUT = 200

export async function execInContainer(container: Docker.Container, command: string[], timeoutMs: number): Promise<{ ok: boolean; message: string }> {
  const shown = command.join(' ')
  let output = ''
  const keep = (bytes: Buffer): void => {
    output = (output + bytes.toString('utf8')).slice(-KEEP_OUTPUT)
  }
  try {
    const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true })
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy?(): void }
    const frames = new FrameDemuxer(keep, keep)
    stream.on('data', (chunk: Buffer) => frames.write(chunk))
    let timer: NodeJS.Timeout | undefined
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => {
        stream.once('end', () => resolve(true))
        stream.once('close', () => resolve(true))
        stream.once('error', () => resolve(true))
      }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ])
    clearTimeout(timer)
    if (!finished) {
      stream.destroy?.()
      return { ok: false, message: `${shown} did not finish within ${timeoutMs}ms` }
    }
    const { ExitCode } = (await exec.inspect()) as { ExitCode: number | null }
    if (ExitCode === 0) return { ok: true, message: `${shown} exited with code 0` }
    const said = output.trim().split('\n').pop()?.trim()
    return { ok: false, message: `${shown} exited with code ${ExitCode ?? 'unknown'}${said ? `: ${said}` : ''}` }
  } catch (error) {
    return { ok: false, message: `${shown} cannot run in the container: ${engineReason(error)}` }
  }
}
