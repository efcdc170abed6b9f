// A run of consecutive lines of one replica's stream, read at one moment: the batch a read of
// its pipe gave, numbered. The orchestrator hands runs to the replica's log, the event replay
// ring and the console; a line becomes a LogLine (an object and a string) only when someone
// reads it.
import type { LogLine } from '../../../src-shared/status'
import { linesOf, type LineBatch } from '../line-splitter'

export interface LogRun extends LineBatch {
  readonly service: string
  readonly replica: string
  readonly stream: LogLine['stream']
  readonly time: number
  /** the replica's line number (seq) of the first line */
  readonly firstSeq: number
}

/** every line of a run as a LogLine, the text decoded once for the run */
export function logLinesOf(run: LogRun): LogLine[] {
  const texts = linesOf(run)
  const out = new Array<LogLine>(texts.length)
  for (let i = 0; i < texts.length; i++) out[i] = { seq: run.firstSeq + i, time: run.time, service: run.service, replica: run.replica, stream: run.stream, text: texts[i]! }
  return out
}
