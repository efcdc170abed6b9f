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

const TAB = 0x09
const DEL = 0x7f
/** UTF-8's first byte of U+0080..U+00BF, where the C1 controls are */
const C1_LEAD = 0xc2

/**
 * Whether the UTF-8 bytes [start, end) hold a control the sanitizers would touch: the console
 * copies its lines as bytes and decodes only those that need it.
 */
export function hasControlBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    if (b < 0x20 ? b !== TAB : b === DEL || (b === C1_LEAD && i + 1 < end && bytes[i + 1]! <= 0x9f)) return true
  }
  return false
}
