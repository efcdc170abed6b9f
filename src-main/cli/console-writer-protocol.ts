// What the main thread hands the console writer thread (console-writer.ts): a numbered batch of
// bytes, moved rather than copied. The thread answers each with its length.
export interface WriterBatch {
  seq: number
  bytes: Uint8Array
}
