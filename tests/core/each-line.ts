// Tests that look at a replica's output line by line: the runners and the supervisor hand it on
// in batches, this reads each batch's lines in order.
import { linesOf, type LineBatch } from '../../src-main/core/line-splitter'
import type { LogLine } from '../../src-shared/status'

export function eachLine(onLine: (stream: LogLine['stream'], text: string) => void): (stream: LogLine['stream'], batch: LineBatch) => void {
  return (stream, batch) => {
    for (const text of linesOf(batch)) onLine(stream, text)
  }
}
