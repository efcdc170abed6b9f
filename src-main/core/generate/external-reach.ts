// How an external service can be reached from a cluster or a Compose host, from the hosts of
// its bindings: by a DNS name (a Kubernetes ExternalName Service can alias it), at an IP
// address or several hosts (given to the others as they are), or on this machine only.
import { listeningBindings, type Service } from '../../../src-shared/app-model'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-f:]+\]?)$/i

export type ExternalReach = { kind: 'name'; host: string } | { kind: 'direct' } | { kind: 'local' }

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host)
}

export function externalReach(service: Service): ExternalReach {
  const hosts = [...new Set(listeningBindings(service).map((b) => b.host))]
  if (hosts.some(isLoopback)) return { kind: 'local' }
  if (hosts.length === 1 && !IP_ADDRESS.test(hosts[0]!)) return { kind: 'name', host: hosts[0]! }
  return { kind: 'direct' }
}
