// The console copies a replica's lines to the terminal as bytes; those holding a control are
// decoded and cleaned by the one sanitizer every text output uses (src-shared/terminal-text.ts).
import { hasControlBytes, terminalSafeText } from '../../src-shared/terminal-text'
import { lineOf, type LineBatch } from '../core/line-splitter'

const NEWLINE = Buffer.from('\n')

/** the batch itself when no line holds a control, else a copy with those lines cleaned */
export function terminalSafeBatch(batch: LineBatch): LineBatch {
  const { bytes, ends } = batch
  let start = 0
  let dirty = -1
  for (let i = 0; i < ends.length; i++) {
    if (hasControlBytes(bytes, start, ends[i]!)) {
      dirty = i
      break
    }
    start = ends[i]! + 1
  }
  if (dirty < 0) return batch

  const parts: Buffer[] = [bytes.subarray(0, start)]
  const cleanEnds: number[] = []
  for (let i = 0; i < dirty; i++) cleanEnds.push(ends[i]!)
  let length = start
  for (let i = dirty; i < ends.length; i++) {
    const end = ends[i]!
    const line = hasControlBytes(bytes, start, end) ? Buffer.from(terminalSafeText(lineOf(batch, i))) : bytes.subarray(start, end)
    parts.push(line, NEWLINE)
    length += line.length
    cleanEnds.push(length)
    length += 1
    start = end + 1
  }
  return { bytes: Buffer.concat(parts, length), ends: cleanEnds }
}
