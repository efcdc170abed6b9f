import { createContext, useContext } from 'react'
import type { MicronetesClient } from '../../src-shared/contract'

export const ClientContext = createContext<MicronetesClient | null>(null)

export function useClient(): MicronetesClient {
  const client = useContext(ClientContext)
  if (!client) throw new Error('useClient outside ClientContext')
  return client
}
