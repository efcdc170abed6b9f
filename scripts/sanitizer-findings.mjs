// What in a sanitizer's report file is a finding. LeakSanitizer prints "Unable to get registers
// from thread N." when a thread vanishes while it stops the process for its leak check (the
// process is being killed as it exits): a note about the check, not a leak or memory error.
// Those lines alone are not a finding; anything else in the file is.
const NOTE = /^==\d+==Unable to get registers from thread \d+\.$/

/** the report's text without LeakSanitizer's notes; empty when nothing was found */
export function sanitizerFindings(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !NOTE.test(line))
    .join('\n')
}
