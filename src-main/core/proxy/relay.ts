// Relays bytes both ways between an accepted client and its backend, keeping TCP's half-close:
// a FIN from one side becomes a FIN to the other once what was sent before it is delivered.
import net from 'node:net'

/** enough for a typical answer; idle keep-alive connections stay cheap */
const SMALL_READ_BYTES = 16 * 1024
/** once a read fills the small buffer, this one: fewer reads and writes per byte in bulk */
const LARGE_READ_BYTES = 256 * 1024

/**
 * A connection to a backend whose answers are read into one buffer owned by the connection,
 * instead of a fresh allocation per read: answers are most of the bytes a proxy moves.
 */
export class BackendLink {
  readonly upstream: net.Socket
  private buffer = Buffer.allocUnsafe(SMALL_READ_BYTES)
  private relaying = false
  /** reading from the backend stopped until the client has taken what was written */
  private holding = false
  /** what the backend sent before relaying began (none in practice: reads start after 'connect') */
  private early: Buffer[] = []

  constructor(
    host: string,
    port: number,
    readonly client: net.Socket,
  ) {
    this.upstream = net.connect({
      host,
      port,
      allowHalfOpen: true,
      noDelay: true,
      // a function: asked for the buffer of each next read, so the buffer can grow
      onread: { buffer: () => this.buffer, callback: (bytes) => this.fromBackend(bytes) },
    })
  }

  /** starts relaying once connected; calls `onClose` once, after both sockets are closed */
  relay(onClose: () => void): void {
    const { upstream, client } = this
    this.relaying = true
    client.on('data', (chunk: Buffer) => {
      if (!upstream.write(chunk)) client.pause()
    })
    upstream.on('drain', () => client.resume())
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    for (const chunk of this.early) client.write(chunk)
    this.early = []
    let open = 2
    const closed = (other: net.Socket) => (hadError: boolean): void => {
      // a reset or error on one side: nothing more can be delivered, so reset the other too
      if (hadError) other.resetAndDestroy()
      if (--open === 0) onClose()
    }
    client.once('close', closed(upstream))
    upstream.once('close', closed(client))
    // errors surface as close(hadError); the listener only keeps them from being thrown (the
    // client's has been there since it was accepted)
    upstream.on('error', noop)
    client.resume()
    upstream.resume()
  }

  destroy(): void {
    this.client.destroy()
    this.upstream.destroy()
  }

  /** returns false to stop reading while the client still holds bytes of the buffer */
  private fromBackend(bytes: number): boolean {
    const buffer = this.buffer
    if (!this.relaying) {
      this.early.push(Buffer.from(buffer.subarray(0, bytes)))
      return true
    }
    const client = this.client
    client.write(buffer.subarray(0, bytes), this.written)
    if (bytes === buffer.length && buffer.length < LARGE_READ_BYTES) this.buffer = Buffer.allocUnsafe(LARGE_READ_BYTES)
    // written at once unless the kernel's send buffer was full: then the bytes still point
    // into the buffer, and reading more would overwrite them
    if (client.writableLength === 0) return true
    this.holding = true
    return false
  }

  /**
   * After each write to the client: once it has taken everything, the buffer is free again.
   * Not 'drain', which comes only after a write past the high-water mark: a few KiB waiting
   * for a slow client would never bring one, and the answer would stall for good.
   */
  private readonly written = (): void => {
    if (this.holding && this.client.writableLength === 0) {
      this.holding = false
      this.upstream.resume()
    }
  }
}

function noop(): void {}
