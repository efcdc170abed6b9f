// The contract over HTTP, for the dashboard served by `micronetes run` in a plain browser:
// commands are POST /api/v1/commands/{name}, events come from the server-sent event stream.
import { COMMAND_NAMES, type CommandName } from '../../src-shared/command-names'
import type { ContractResults, DeliveredEvent, MicronetesClient } from '../../src-shared/contract'
import { ControlError, type ControlErrorCode } from '../../src-shared/errors'

const ERROR_CODES: readonly ControlErrorCode[] = ['not-found', 'invalid', 'conflict', 'unavailable', 'internal']

export interface HttpClientOptions {
  /** the API's origin; the page's own by default */
  baseUrl?: string
  /** for a server started with --token */
  token?: string
  /** told when the event stream drops and when it is back, so the UI can say so and resync */
  onConnectionChange?: (connected: boolean) => void
}

export function createHttpClient(options: HttpClientOptions = {}): MicronetesClient {
  const base = (options.baseUrl ?? '').replace(/\/$/, '')
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
  if (options.token) headers.Authorization = `Bearer ${options.token}`

  async function call<C extends CommandName>(name: C, input: unknown): Promise<ContractResults[C]> {
    let response: Response
    try {
      response = await fetch(`${base}/api/v1/commands/${name}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) })
    } catch {
      throw new ControlError('unavailable', `${name}: the Micronetes API cannot be reached`)
    }
    const body = (await response.json().catch(() => undefined)) as { result?: unknown; message?: unknown; code?: unknown } | undefined
    if (!response.ok) {
      const code = ERROR_CODES.find((c) => c === body?.code) ?? 'internal'
      const message = typeof body?.message === 'string' ? body.message : `${name}: HTTP ${response.status}`
      throw new ControlError(code, message)
    }
    return body?.result as ContractResults[C]
  }

  const methods = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  ) as Omit<MicronetesClient, 'subscribe'>

  return { ...methods, subscribe: (listener) => subscribeToEvents(base, options, listener) }
}

function subscribeToEvents(base: string, options: HttpClientOptions, listener: (event: DeliveredEvent) => void): () => void {
  // EventSource cannot send headers, so the token travels in the query (the API accepts it there)
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : ''
  const source = new EventSource(`${base}/api/v1/events${query}`)
  let connected = false
  source.onopen = () => {
    if (!connected) options.onConnectionChange?.(true)
    connected = true
  }
  source.onerror = () => {
    if (connected) options.onConnectionChange?.(false)
    connected = false
  }
  source.onmessage = (message: MessageEvent<string>) => {
    let event: DeliveredEvent
    try {
      event = JSON.parse(message.data) as DeliveredEvent
    } catch {
      return
    }
    listener(event)
  }
  return () => source.close()
}
