// A run of consecutive lines of one replica's stream, read at one moment: the batch a read of
// its pipe gave, numbered. The orchestrator hands runs to the replica's log, the event replay
// ring and the console; a line becomes a LogLine (an object and a string) only when someone
// reads it.
import type { LogLine } from '../../../src-shared/status'
import { lineOf, type LineBatch } from '../line-splitter'

export interface LogRun extends LineBatch {
  readonly service: string
  readonly replica: string
  readonly stream: LogLine['stream']
  readonly time: number
  /** the replica's line number (seq) of the first line */
  readonly firstSeq: number
}

export function logLineOf(run: LogRun, i: number): LogLine {
  return { seq: run.firstSeq + i, time: run.time, service: run.service, replica: run.replica, stream: run.stream, text: lineOf(run, i) }
}
