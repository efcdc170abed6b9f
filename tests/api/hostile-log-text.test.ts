// Text logs go to terminals: a replica printing escapes that act on the terminal (clipboard,
// title, cursor reports, DCS) and raw controls must reach a text reader with colours at most,
// and nothing at all with ?plain=true. JSON escapes controls itself and keeps the text.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'
import { program } from '../core/orchestrator-helpers'
import { openStream, request } from './http-client'

/** a clipboard write, a title, a cursor report request, a DCS string, NUL, BS and CR around a colour and a tab */
const HOSTILE_LINE = 'A\x1b]52;c;aGVsbG8=\x07B\x1b]0;title\x07C\x1b[6nD\x1bP1$rpayload\x1b\\E\x00F\x08G\rH\x1b[31mred\x1b[0m\tI'
const SAFE = 'ABCDEFGH\x1b[31mred\x1b[0m\tI'
const PLAIN = 'ABCDEFGHred\tI'
const LINE = /^\[shouty_[0-9a-f]{8}-1\]: (.*)$/s

let folder: string
let session: Session
let api: ApiServer | undefined
let base: string

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'micronetes-hostile-'))
  const file = join(folder, 'app.yaml')
  writeFileSync(file, `name: hostile\nservices:\n  - name: shouty\n    executable: ${process.execPath}\n    args: ${program('hostile-log.mjs')}\n    env:\n      HOSTILE_LINE: '${JSON.stringify(HOSTILE_LINE)}'\n`)
  session = new Session()
  const info = await session.open(file)
  if (info.state !== 'running') throw new Error(`app did not start: ${info.message ?? info.state}`)
  api = await startApiServer({ port: 0, session })
  base = `${api.url}/api/v1`
})
afterAll(async () => {
  await api?.close()
  await session?.close()
  rmSync(folder, { recursive: true, force: true })
})

/** the texts of the lines of a text answer, each checked to carry the replica's prefix */
function texts(body: string): string[] {
  const lines = body.split('\n').filter((l) => l !== '')
  return lines.map((l) => {
    const match = LINE.exec(l)
    if (!match) throw new Error(`not a log line: ${JSON.stringify(l)}`)
    return match[1] as string
  })
}

describe('text logs of a replica that prints terminal escapes', () => {
  it('?follow=true streams its lines with colours only, as received over HTTP', async () => {
    const stream = await openStream(`${base}/logs/shouty?follow=true&tail=1`)
    try {
      expect(stream.status).toBe(200)
      // the tail line and at least two printed while following
      const body = await stream.until((t) => t.split('\n').length > 3)
      const lines = texts(body.slice(0, body.lastIndexOf('\n')))
      expect(lines.length).toBeGreaterThanOrEqual(3)
      for (const text of lines) expect(text).toBe(SAFE)
    } finally {
      stream.close()
    }
  })

  it('?follow=true&plain=true streams them without any control, colours and DCS payload included', async () => {
    const stream = await openStream(`${base}/logs/shouty?follow=true&tail=1&plain=true`)
    try {
      const body = await stream.until((t) => t.split('\n').length > 3)
      const lines = texts(body.slice(0, body.lastIndexOf('\n')))
      for (const text of lines) expect(text).toBe(PLAIN)
      // eslint-disable-next-line no-control-regex
      expect(body).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
    } finally {
      stream.close()
    }
  })

  it('a text answer without follow is cleaned the same way', async () => {
    const answer = await request(`${base}/logs/shouty?tail=2`, { headers: { Accept: 'text/plain' } })
    expect(answer.headers['content-type']).toMatch(/^text\/plain/)
    expect(texts(answer.text)).toEqual([SAFE, SAFE])
    const plain = await request(`${base}/logs/shouty?tail=2&plain=true`, { headers: { Accept: 'text/plain' } })
    expect(texts(plain.text)).toEqual([PLAIN, PLAIN])
  })

  it('JSON keeps the text as printed, every control escaped by JSON itself', async () => {
    const answer = await request(`${base}/logs/shouty?tail=1`)
    expect(answer.headers['content-type']).toMatch(/^application\/json/)
    // eslint-disable-next-line no-control-regex
    expect(answer.text).not.toMatch(/[\x00-\x09\x0b-\x1f]/)
    const [line] = answer.json<string[]>()
    expect(LINE.exec(line as string)?.[1]).toBe(HOSTILE_LINE)
    const plain = (await request(`${base}/logs/shouty?tail=1&plain=true`)).json<string[]>()
    expect(LINE.exec(plain[0] as string)?.[1]).toBe(PLAIN)
  })
})
