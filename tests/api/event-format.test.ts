import { describe, expect, it } from 'vitest'
import { EventFormatter } from '../../src-main/api/event-format'
import type { DeliveredEvent } from '../../src-shared/contract'

function data(message: string): unknown {
  const line = message.split('\n').find((l) => l.startsWith('data: '))
  return JSON.parse((line ?? '').slice('data: '.length))
}

describe('EventFormatter', () => {
  it('writes a log line that reads back as the same event, whatever its text holds', () => {
    const formatter = new EventFormatter()
    for (const text of ['plain', 'quote " backslash \\ tab \t', 'é€ 😀', '\u0000\u001f control', '']) {
      for (const [service, replica] of [['web', 'web_1-1'], ['db "x"', 'db "x"_2-1']] as const) {
        const event: DeliveredEvent = { type: 'log', id: 7, line: { seq: 3, time: 1764158400123, service, replica, stream: 'stderr', text } }
        const message = formatter.format(event)
        expect(message.startsWith('id: 7\ndata: ')).toBe(true)
        expect(message.endsWith('\n\n')).toBe(true)
        expect(message.slice(0, -2)).not.toContain('\n\n')
        expect(data(message)).toEqual(event)
      }
    }
  })

  it('writes other events as their JSON', () => {
    const event: DeliveredEvent = { type: 'application', id: 2, state: 'running' }
    expect(data(new EventFormatter().format(event))).toEqual(event)
  })
})
