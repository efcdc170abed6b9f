// What a proxy engine runs bindings' proxies on, seen from the binding (recovering-proxy.ts): a
// proxy thread (proxy-worker.ts) or the native relay (relay-process.ts). Each serves any number
// of bindings, told apart by an id of its own, and tells a binding its figures and its death.
import type { ProxyBackend, ProxyOptions, ProxyStats } from '../proxy-types'
import type { PortSharing } from './loopback-listen'

export interface EngineHost {
  /** listens for `member`; returns its id here and the port bound. Rejects naming the port. */
  open(member: HostMember, request: OpenRequest): Promise<{ id: number; port: number }>
  setBackends(id: number, backends: ProxyBackend[]): void
  /** resolves once the host has sent fresh figures for `id` (or has died) */
  refreshStats(id: number): Promise<void>
  close(id: number): Promise<void>
}

/** what a host tells the binding it serves */
export interface HostMember {
  reported(host: EngineHost, stats: [string, ProxyStats][]): void
  /** the host died: its sockets are gone */
  lost(host: EngineHost): void
}

export interface OpenRequest {
  /** the binding's options, `port` the one to listen on */
  options: ProxyOptions
  /** how this host's socket shares the port with the binding's other hosts */
  sharing: PortSharing
  /** the binding's shared Uint32Array(1) of round-robin turns (every host of it gets the same) */
  turns: SharedArrayBuffer
}
