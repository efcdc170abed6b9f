// Bytes kept in one reused buffer, appended at the end and let go from the start, addressed by
// offsets that only grow. The replica logs and the replay ring copy the lines they keep into one
// of these rather than keeping the pipe's reads: a 64 KiB read kept past one young collection
// waits for a full one before its memory comes back.

/** bytes a ring starts with once something is appended */
const INITIAL_BYTES = 4096

export class ByteRing {
  private bytes = Buffer.alloc(0)
  /** offset of the oldest byte kept, and of the end */
  private first = 0
  private last = 0
  /** offset kept at index 0 of the buffer */
  private origin = 0

  get start(): number {
    return this.first
  }

  get end(): number {
    return this.last
  }

  /** appends the bytes and returns the offset they start at; the buffer grows when the kept bytes need it */
  append(source: Uint8Array): number {
    const at = this.last
    const needed = this.last - this.first + source.length
    if (needed > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, this.bytes.length * 2, needed))
      this.copyOut(this.first, this.last, larger)
      this.bytes = larger
      this.origin = this.first
    }
    const capacity = this.bytes.length
    const index = (at - this.origin) % capacity
    const head = Math.min(source.length, capacity - index)
    this.bytes.set(source.subarray(0, head), index)
    if (head < source.length) this.bytes.set(source.subarray(head), 0)
    this.last = at + source.length
    return at
  }

  /** lets go of the bytes before `offset` */
  release(offset: number): void {
    this.first = Math.min(Math.max(this.first, offset), this.last)
  }

  /** the UTF-8 text of the kept bytes from..to */
  text(from: number, to: number): string {
    const capacity = this.bytes.length
    if (to <= from) return ''
    const index = (from - this.origin) % capacity
    if (index + (to - from) <= capacity) return this.bytes.toString('utf8', index, index + to - from)
    const joined = Buffer.allocUnsafe(to - from)
    this.copyOut(from, to, joined)
    return joined.toString('utf8')
  }

  private copyOut(from: number, to: number, target: Buffer): void {
    const capacity = this.bytes.length
    if (to <= from || capacity === 0) return
    const index = (from - this.origin) % capacity
    const head = Math.min(to - from, capacity - index)
    this.bytes.copy(target, 0, index, index + head)
    if (head < to - from) this.bytes.copy(target, head, 0, to - from - head)
  }
}
