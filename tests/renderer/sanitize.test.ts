import { describe, expect, it } from 'vitest'
import { sanitizeLogText } from '../../src-renderer/logs/sanitize'

describe('sanitizeLogText', () => {
  it('keeps colours (SGR)', () => {
    const text = '\x1b[31merror\x1b[0m and \x1b[1;38;5;208mbold orange\x1b[m'
    expect(sanitizeLogText(text)).toBe(text)
  })

  it('drops clipboard writes (OSC 52) with either terminator', () => {
    expect(sanitizeLogText('a\x1b]52;c;aGVsbG8=\x07b')).toBe('ab')
    expect(sanitizeLogText('a\x1b]52;c;aGVsbG8=\x1b\\b')).toBe('ab')
  })

  it('drops hyperlinks (OSC 8) but keeps their text', () => {
    expect(sanitizeLogText('\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07')).toBe('click me')
  })

  it('drops titles, screen clears, cursor moves, buffer switches and DCS', () => {
    expect(sanitizeLogText('\x1b]0;pwned\x07x\x1b[2J\x1b[H\x1b[?1049h\x1bP1$r\x1b\\y')).toBe('xy')
  })

  it('an unterminated OSC loses its introducer and cannot swallow what follows', () => {
    expect(sanitizeLogText('\x1b]52;c;Zm9v and more')).toBe('52;c;Zm9v and more')
  })

  it('drops C0 and C1 controls but keeps tabs', () => {
    expect(sanitizeLogText('a\tb\rc\x07d\x08e\u009b31mf\x1b')).toBe('a\tbcde31mf')
  })
})
