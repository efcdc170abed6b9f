// Log content is written by the services, so it is hostile: a line may try to set the
// clipboard (OSC 52), plant links (OSC 8), retitle the window, switch buffers or clear the
// screen. A log viewer needs colours only, so every escape sequence except SGR is dropped.

// ESC-introduced sequences (CSI, OSC, DCS/SOS/PM/APC, two-byte), then any other C0/C1 control
// except tab. An OSC without its terminator loses only its introducer, so it cannot swallow
// the lines after it.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[ -~]?)|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f-\x9f]/g
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/

export function sanitizeLogText(text: string): string {
  return text.replace(CONTROL, (sequence) => (SGR.test(sequence) ? sequence : ''))
}
