// GET /api/v1/logs/{name}: Tye answers a JSON list of "[replica]: line" strings; Micronetes adds
// ?replica=, ?tail=N, ?plain=true, and ?follow=true, which streams text until the client leaves.
import { MAX_LOG_TAIL } from '../../src-shared/contract'
import type { LogLine } from '../../src-shared/status'
import { plainText, terminalSafeText } from '../../src-shared/terminal-text'
import type { SessionHost } from '../core/session-host'
import { callContract } from './contract-call'
import { BASE_HEADERS, boolParam, intParam, sendJson, sendText } from './http-io'
import type { Router } from './router'
import { SlowClientGate } from './slow-client'
import type { StreamLimit } from './stream-limit'

/**
 * "[replica]: text". Text answers go to terminals, so they keep colours at most (plainText
 * with `plain`); JSON escapes every control itself, so its strings keep what the replica wrote.
 */
export function formatLogLine(line: LogLine, plain: boolean, asText: boolean): string {
  const text = plain ? plainText(line.text) : asText ? terminalSafeText(line.text) : line.text
  return `[${line.replica}]: ${text}`
}

function wantsText(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/plain\b/.test(accept) && !/\bapplication\/json\b/.test(accept)
}

export function registerLogsRoute(router: Router, session: SessionHost, streams: StreamLimit): void {
  router.add('GET', '/api/v1/logs/:name', async ({ req, res, params, query }) => {
    const service = params.name as string
    const replica = query.get('replica') ?? undefined
    const tail = intParam(query, 'tail', MAX_LOG_TAIL)
    const plain = boolParam(query, 'plain')
    const follow = boolParam(query, 'follow')
    const input = { service, ...(replica !== undefined ? { replica } : {}), ...(tail !== undefined ? { tail } : {}) }

    if (!follow || req.method === 'HEAD') {
      const lines = await callContract(session, 'logs', input)
      const asText = wantsText(req.headers.accept)
      const formatted = lines.map((l) => formatLogLine(l, plain, asText))
      if (asText) sendText(res, 200, formatted.map((l) => l + '\n').join(''))
      else sendJson(res, 200, formatted)
      return
    }

    streams.take(res, 'GET /api/v1/logs?follow=true')
    // subscribe before reading the tail, so no line falls between the two; seq dedupes
    const early: LogLine[] = []
    let live = false
    let gate: SlowClientGate | undefined
    const matches = (l: LogLine): boolean => l.service === service && (replica === undefined || l.replica === replica)
    const lastSeq = new Map<string, number>()
    const emit = (l: LogLine): void => {
      if ((lastSeq.get(l.replica) ?? -1) >= l.seq) return
      lastSeq.set(l.replica, l.seq)
      gate?.write(formatLogLine(l, plain, true) + '\n')
    }
    const unsubscribe = session.subscribe((event) => {
      if (event.type !== 'log' || !matches(event.line)) return
      if (live) emit(event.line)
      else early.push(event.line)
    })
    res.on('close', unsubscribe)
    try {
      const lines = await callContract(session, 'logs', input)
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'X-Accel-Buffering': 'no' })
      // a quiet service writes nothing for a while: the client should know the stream is open
      res.flushHeaders()
      gate = new SlowClientGate(res, {
        skippedNote: (n) => `[micronetes]: ${n} log line(s) skipped: this client reads slower than the application writes\n`,
      })
      for (const l of lines) emit(l)
      for (const l of early) emit(l)
      early.length = 0
      live = true
    } catch (err) {
      unsubscribe()
      throw err
    }
  })
}
