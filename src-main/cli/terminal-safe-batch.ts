// The console copies a replica's lines to the terminal as bytes; those holding a control are
// decoded and cleaned by the one sanitizer every text output uses (src-shared/terminal-text.ts).
import { CONTROL_LEAD_BYTES, hasControlBytes, terminalSafeText } from '../../src-shared/terminal-text'
import { lineOf, type LineBatch } from '../core/line-splitter'

const NEWLINE = Buffer.from('\n')

const C1_LEAD = 0xc2

/**
 * Whether any line of the batch may hold a control: one native search of the batch per byte
 * that begins one (memchr's speed; a JavaScript loop over every byte cost about 3 ns a byte, as
 * much as the rest of the console). 0xC2 also begins printable characters (°, ©, a no-break
 * space): each is looked at.
 */
function mayHoldControl(bytes: Buffer): boolean {
  for (const lead of CONTROL_LEAD_BYTES) if (lead !== C1_LEAD && bytes.indexOf(lead) >= 0) return true
  for (let at = bytes.indexOf(C1_LEAD); at >= 0; at = bytes.indexOf(C1_LEAD, at + 1)) {
    if ((bytes[at + 1] ?? 0xff) <= 0x9f) return true
  }
  return false
}

/** the batch itself when no line holds a control, else a copy with those lines cleaned */
export function terminalSafeBatch(batch: LineBatch): LineBatch {
  const { bytes, ends } = batch
  if (ends.length === 0 || !mayHoldControl(bytes.subarray(0, ends[ends.length - 1]! + 1))) return batch
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
    const line = hasControlBytes(bytes, start, end) ? cleaned(batch, i, start, end) : bytes.subarray(start, end)
    parts.push(line, NEWLINE)
    length += line.length
    cleanEnds.push(length)
    length += 1
    start = end + 1
  }
  return { bytes: Buffer.concat(parts, length), ends: cleanEnds }
}

/** line i cleaned; its own bytes when cleaning changed nothing (a line with colours only) */
function cleaned(batch: LineBatch, i: number, start: number, end: number): Buffer {
  const text = lineOf(batch, i)
  const safe = terminalSafeText(text)
  return safe === text ? batch.bytes.subarray(start, end) : Buffer.from(safe)
}
