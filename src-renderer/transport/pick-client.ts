// One bundle, two transports: the desktop app's preload bridge when it is there, HTTP otherwise.
import type { MicronetesClient } from '../../src-shared/contract'
import { createHttpClient } from './http-client'

export interface PickedClient {
  client: MicronetesClient
  transport: 'ipc' | 'http'
}

export function pickClient(onConnectionChange: (connected: boolean) => void): PickedClient {
  if (window.micronetes) return { client: window.micronetes, transport: 'ipc' }
  // a dashboard opened as http://127.0.0.1:8000/?token=T passes the token on to the API
  const token = new URLSearchParams(window.location.search).get('token') ?? undefined
  return { client: createHttpClient({ token, onConnectionChange }), transport: 'http' }
}
