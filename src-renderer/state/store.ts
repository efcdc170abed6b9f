// The dashboard's status: the session, services and replicas, and what the user selected.
// Log lines never come here (they go from the event stream straight to the terminal).
import { create } from 'zustand'
import type { SessionInfo } from '../../src-shared/contract'
import type { MicronetesEvent } from '../../src-shared/events'
import type { ServiceStatus } from '../../src-shared/status'
import { applyStatusEvent, emptyServices, servicesFrom, type ServicesView } from './apply-event'

/** 'all' merges a service's replicas; otherwise a replica name */
export type LogTab = 'all' | (string & {})

/** the services with their logs, every log of the application, or how the services connect */
export type View = 'services' | 'logs' | 'graph'

export interface DashboardState {
  session?: SessionInfo
  /** the event stream is up (always true over IPC) */
  connected: boolean
  services: ServicesView
  selectedService?: string
  /** the replica whose details are open */
  selectedReplica?: string
  logTabs: Record<string, LogTab>
  view: View

  setSession(session: SessionInfo): void
  setServices(list: ServiceStatus[]): void
  applyEvent(event: MicronetesEvent): void
  setConnected(connected: boolean): void
  selectService(name: string): void
  selectReplica(service: string, replica: string | undefined): void
  setLogTab(service: string, tab: LogTab): void
  setView(view: View): void
}

export const useDashboard = create<DashboardState>()((set) => ({
  connected: true,
  services: emptyServices,
  logTabs: {},
  view: 'services',

  setSession: (session) => set({ session }),
  setServices: (list) =>
    set((state) => {
      const services = servicesFrom(list)
      const selectedService = state.selectedService && services.byName[state.selectedService] ? state.selectedService : services.order[0]
      return { services, selectedService }
    }),
  applyEvent: (event) =>
    set((state) => {
      const services = applyStatusEvent(state.services, event)
      if (services === state.services) return state
      const kept = state.selectedService !== undefined && services.byName[state.selectedService] ? state.selectedService : undefined
      return { services, selectedService: kept ?? services.order[0] }
    }),
  setConnected: (connected) => set({ connected }),
  selectService: (name) => set({ selectedService: name }),
  selectReplica: (service, replica) => set({ selectedService: service, selectedReplica: replica }),
  setLogTab: (service, tab) => set((state) => ({ logTabs: { ...state.logTabs, [service]: tab } })),
  setView: (view) => set({ view }),
}))
