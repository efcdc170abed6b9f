// Log content is written by the services, so it is hostile: a line may try to set the
// clipboard (OSC 52), plant links (OSC 8), retitle the window, ask the terminal to answer
// (CSI 6n), switch buffers or clear the screen. A log reader needs colours only, so every
// text output (the API's text logs, the console of `micronetes run`, the dashboard's terminal)
// keeps SGR and drops every other escape sequence and every C0/C1 control except tab.

// ESC-introduced sequences (CSI, OSC, DCS/SOS/PM/APC, two-byte), then any other C0/C1 control
// except tab. An OSC or DCS without its terminator loses only its introducer, so it cannot
// swallow the lines after it.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[ -~]?)|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f-\x9f]/g
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/

/** the text safe for a terminal: colours (SGR) kept, every other control dropped */
export function terminalSafeText(text: string): string {
  return text.replace(CONTROL, (sequence) => (SGR.test(sequence) ? sequence : ''))
}

/** the text without any control, colours included (`?plain=true`) */
export function plainText(text: string): string {
  return text.replace(CONTROL, '')
}

/**
 * The bytes that begin, in UTF-8, a control the sanitizers would touch: C0 but tab and newline
 * (a newline ends a line before it is sanitized), DEL, and 0xC2, the lead byte of U+0080..U+00BF
 * where the C1 controls are (a C1 control only when the next byte is 0x80..0x9F).
 */
export const CONTROL_LEAD_BYTES: readonly number[] = [
  ...Array.from({ length: 0x20 }, (_, b) => b).filter((b) => b !== 0x09 && b !== 0x0a),
  0x7f,
  0xc2,
]
const C1_LEAD = 0xc2
/** 1: a control; 2: one when the next byte is 0x80..0x9F */
const LEADS = new Uint8Array(256)
for (const b of CONTROL_LEAD_BYTES) LEADS[b] = b === C1_LEAD ? 2 : 1
LEADS[0x0a] = 1

/**
 * Whether the UTF-8 bytes [start, end) of one line hold a control the sanitizers would touch:
 * the console copies its lines as bytes and decodes only those that need it.
 */
export function hasControlBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const lead = LEADS[bytes[i]!]
    if (lead === 1 || (lead === 2 && i + 1 < end && bytes[i + 1]! <= 0x9f)) return true
  }
  return false
}
