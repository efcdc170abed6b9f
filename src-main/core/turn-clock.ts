// Date.now() once per turn of the event loop rather than once per log line: a flooding replica
// delivers hundreds of lines in one chunk, and they are all read at the same moment anyway.
let now = 0
let valid = false

function expire(): void {
  valid = false
}

/** the time (ms since the epoch) at the start of the current job; exact to the turn */
export function turnNow(): number {
  if (!valid) {
    now = Date.now()
    valid = true
    queueMicrotask(expire)
  }
  return now
}
