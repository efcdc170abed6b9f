// Terminal escape sequences, for `?plain=true`: CSI (colours, cursor), OSC (titles, links,
// ended by BEL or ST) and the two-character escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g

export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, '')
}
