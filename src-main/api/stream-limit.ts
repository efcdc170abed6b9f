// Every open stream (event stream, followed logs) is a listener the application calls on each
// event; a bound on how many are open keeps a runaway client from taxing the orchestrator.
import type { ServerResponse } from 'node:http'
import { ApiError } from './http-io'

export const DEFAULT_MAX_STREAMS = 64

export class StreamLimit {
  private open = 0

  constructor(readonly max = DEFAULT_MAX_STREAMS) {}

  get count(): number {
    return this.open
  }

  /**
   * Counts the stream until its response closes; 503 when the bound is reached. A stream never
   * ends by itself, so the client closing its side is taken as leaving: the server answers
   * half-closed clients (server.ts), which would otherwise keep a left stream open until a write
   * to it failed.
   */
  take(res: ServerResponse, what: string): void {
    if (this.open >= this.max) throw new ApiError(503, `too many streams open (${this.max}); close one and retry ${what}`)
    this.open++
    const leave = (): void => {
      res.destroy()
    }
    res.socket?.once('end', leave)
    res.once('close', () => {
      this.open--
      res.socket?.off('end', leave)
    })
  }
}
