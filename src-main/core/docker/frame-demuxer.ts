// Splits a container's attach stream (Tty false) back into stdout and stderr. The engine sends
// frames: an 8-byte header (stream type, three zero bytes, payload length as uint32 big-endian)
// and the payload. Payloads are handed on as views of the chunks they arrived in, never copied;
// only a header cut between two chunks is gathered. Bytes that do not start with a valid header
// (a stream that is not multiplexed, as with Tty true) go to stdout as they are from then on.
const HEADER_BYTES = 8
const STDIN = 0
const STDOUT = 1
const STDERR = 2

export class FrameDemuxer {
  private readonly header = Buffer.alloc(HEADER_BYTES)
  private headerFilled = 0
  /** payload bytes of the current frame still to come */
  private payloadLeft = 0
  private toStderr = false
  private raw = false

  constructor(
    private readonly stdout: (bytes: Buffer) => void,
    private readonly stderr: (bytes: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    if (this.raw) return this.stdout(chunk)
    let at = 0
    while (at < chunk.length) {
      if (this.payloadLeft > 0) {
        const end = Math.min(chunk.length, at + this.payloadLeft)
        const payload = chunk.subarray(at, end)
        this.payloadLeft -= end - at
        at = end
        if (this.toStderr) this.stderr(payload)
        else this.stdout(payload)
        continue
      }
      const take = Math.min(HEADER_BYTES - this.headerFilled, chunk.length - at)
      chunk.copy(this.header, this.headerFilled, at, at + take)
      this.headerFilled += take
      at += take
      if (this.headerFilled < HEADER_BYTES) return
      this.headerFilled = 0
      const type = this.header[0]
      if ((type !== STDIN && type !== STDOUT && type !== STDERR) || this.header.readUIntBE(1, 3) !== 0) {
        // not a frame: this stream is not multiplexed
        this.raw = true
        this.stdout(Buffer.from(this.header))
        if (at < chunk.length) this.stdout(chunk.subarray(at))
        return
      }
      this.toStderr = type === STDERR
      this.payloadLeft = this.header.readUInt32BE(4)
    }
  }
}
