import { describe, expect, it } from 'vitest'
import { hasControlBytes, plainText, terminalSafeText } from '../../src-shared/terminal-text'

describe('terminalSafeText', () => {
  it('keeps colours (SGR)', () => {
    const text = '\x1b[31merror\x1b[0m and \x1b[1;38;5;208mbold orange\x1b[m'
    expect(terminalSafeText(text)).toBe(text)
  })

  it('drops clipboard writes (OSC 52) with either terminator', () => {
    expect(terminalSafeText('a\x1b]52;c;aGVsbG8=\x07b')).toBe('ab')
    expect(terminalSafeText('a\x1b]52;c;aGVsbG8=\x1b\\b')).toBe('ab')
  })

  it('drops hyperlinks (OSC 8) but keeps their text', () => {
    expect(terminalSafeText('\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07')).toBe('click me')
  })

  it('drops titles, screen clears, cursor moves, buffer switches and DCS', () => {
    expect(terminalSafeText('\x1b]0;pwned\x07x\x1b[2J\x1b[H\x1b[?1049h\x1bP1$r\x1b\\y')).toBe('xy')
  })

  it('an unterminated OSC loses its introducer and cannot swallow what follows', () => {
    expect(terminalSafeText('\x1b]52;c;Zm9v and more')).toBe('52;c;Zm9v and more')
  })

  it('drops C0 and C1 controls but keeps tabs', () => {
    expect(terminalSafeText('a\tb\rc\x07d\x08e\u009b31mf\x1b')).toBe('a\tbcde31mf')
  })

  it('drops terminal queries (CSI 6n), NUL, backspace and CR', () => {
    expect(terminalSafeText('a\x1b[6nb\x00c\x08d\re')).toBe('abcde')
  })
})

describe('plainText', () => {
  it('drops colours too, and everything terminalSafeText drops', () => {
    expect(plainText('\x1b[31mred\x1b[0m \x1bP1$r payload\x1b\\\x00\x08\r\x1b]52;c;aGk=\x07ok\tend')).toBe('red ok\tend')
  })
})

describe('hasControlBytes', () => {
  const bytes = (text: string): Buffer => Buffer.from(text)
  it('finds C0 controls, DEL and C1 controls in UTF-8, not tabs or other characters', () => {
    expect(hasControlBytes(bytes('plain\ttext é ü 日本'), 0, bytes('plain\ttext é ü 日本').length)).toBe(false)
    expect(hasControlBytes(bytes('a\x1b[31mb'), 0, 8)).toBe(true)
    expect(hasControlBytes(bytes('a\x7f'), 0, 2)).toBe(true)
    const c1 = bytes('a\u009bb')
    expect(hasControlBytes(c1, 0, c1.length)).toBe(true)
    // U+00A0..U+00BF share the lead byte 0xC2 but are printable
    const nbsp = bytes('a\u00a0b\u00bf')
    expect(hasControlBytes(nbsp, 0, nbsp.length)).toBe(false)
  })

  it('looks only inside [start, end)', () => {
    expect(hasControlBytes(bytes('\x00abc\x00'), 1, 4)).toBe(false)
  })
})
