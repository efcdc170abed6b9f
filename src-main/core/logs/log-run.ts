// A run of consecutive lines of one replica's stream, read at one moment: the batch a read of
// its pipe gave, numbered. The replica's log, the event replay ring and the console keep and
// pass runs; a line becomes a LogLine (an object and a string) only when someone reads it.
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

/**
 * Size of a run's line text, newlines not counted: bytes of UTF-8, which the size bounds
 * count as characters (the same for ASCII, at most 3 bytes per character otherwise)
 */
export function runChars(run: LineBatch): number {
  return run.bytes.length - run.ends.length
}

/** size of lines from..to-1 of a run, as runChars counts it */
export function linesChars(run: LineBatch, from: number, to: number): number {
  if (to <= from) return 0
  const start = from === 0 ? 0 : run.ends[from - 1]! + 1
  return run.ends[to - 1]! + 1 - start - (to - from)
}

export function logLineOf(run: LogRun, i: number): LogLine {
  return { seq: run.firstSeq + i, time: run.time, service: run.service, replica: run.replica, stream: run.stream, text: lineOf(run, i) }
}
