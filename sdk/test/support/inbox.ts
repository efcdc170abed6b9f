import type { PubSubLogger, PubSubMessage } from '../../src/index.js'

/** Collects what a subscription receives, and waits for what it has not received yet. */
export class Inbox {
  readonly messages: PubSubMessage[] = []
  private waiters: (() => void)[] = []

  readonly handler = (message: PubSubMessage): void => {
    this.messages.push(message)
    for (const wake of this.waiters.splice(0)) wake()
  }

  texts(): string[] {
    return this.messages.map((m) => m.text())
  }

  async waitFor(predicate: (message: PubSubMessage) => boolean, timeoutMs = 10_000): Promise<PubSubMessage> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.messages.find(predicate)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; received: ${JSON.stringify(this.texts())}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}

export function recordingLogger(): PubSubLogger & { lines: string[] } {
  const lines: string[] = []
  return { lines, warn: (m) => lines.push(`warn: ${m}`), info: (m) => lines.push(`info: ${m}`) }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Publishes numbered messages until one reaches the inbox: after a broker restart the publisher and
 * the subscriber each reconnect on their own schedule, and only messages published after the
 * subscriber is back can arrive.
 */
export async function publishUntilReceived(
  publish: (text: string) => Promise<void>,
  inbox: Inbox,
  prefix: string,
  timeoutMs = 45_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    publish(`${prefix}-${attempt}`).catch(() => undefined)
    await sleep(250)
    const got = inbox.messages.find((m) => m.text().startsWith(prefix))
    if (got) return got.text()
  }
  throw new Error(`nothing published as '${prefix}-*' arrived within ${timeoutMs} ms`)
}
