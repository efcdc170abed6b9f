// Before a replaced replica is stopped, the connections the proxy already gave it are let
// finish: the proxy learns of its new backends asynchronously (a proxy thread, the native
// relay), so a connection can still reach a replica a moment after it left the list.
import type { ServiceEntry } from '../service-entry'

const POLL_MS = 25
/** quiet polls in a row before the replicas count as drained: covers the proxy's own delay */
const QUIET_POLLS = 3

export async function drainConnections(entry: ServiceEntry, replicas: string[], maxMs: number): Promise<void> {
  if (entry.proxies.length === 0 || replicas.length === 0) return
  const deadline = Date.now() + maxMs
  let quiet = 0
  while (quiet < QUIET_POLLS && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    const stats = await Promise.all(entry.proxies.map((p) => (p.currentStats ? p.currentStats().catch(() => p.stats()) : Promise.resolve(p.stats()))))
    const open = stats.some((byReplica) => replicas.some((name) => (byReplica.get(name)?.activeConnections ?? 0) > 0))
    quiet = open ? 0 : quiet + 1
  }
}
