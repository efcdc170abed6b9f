// The ports of a service once it runs as containers on a cluster or a Compose host. There is
// no proxy in front of replicas there: each container listens on its own port (PORT), and the
// platform's service (a Kubernetes Service, Compose's network alias) spreads connections.
import type { Binding, Service } from '../../../src-shared/app-model'

/** where a binding without a port listens in a container: the first of these not taken */
export const FIRST_UNSPECIFIED_PORT = 8080

export interface TargetBinding {
  binding: Binding
  /** the port the container listens on: containerPort for images, else the binding port */
  containerPort: number
  /** the port others connect to: the Service port on Kubernetes, the published port on the host */
  port: number
}

/**
 * Locally a process replica listens on a free port that changes from run to run; in a
 * container it may keep one, so the binding's own port is it, and a binding without one gets
 * 8080, 8081, ... (the ports the service's other bindings do not already use).
 */
export function targetBindings(service: Service): TargetBinding[] {
  const taken = new Set(service.bindings.map((b) => b.containerPort ?? b.port).filter((p) => p !== undefined))
  let next = FIRST_UNSPECIFIED_PORT
  const unspecified = (): number => {
    while (taken.has(next)) next++
    taken.add(next)
    return next
  }
  return service.bindings.map((binding) => {
    const containerPort = binding.containerPort ?? binding.port ?? unspecified()
    return { binding, containerPort, port: binding.port ?? containerPort }
  })
}

/** the binding a probe names (undefined: the default one, else the first), as DESIGN.md's discovery picks it */
export function bindingNamed(bindings: TargetBinding[], name: string | undefined): TargetBinding | undefined {
  if (name !== undefined) return bindings.find((b) => b.binding.name === name)
  return bindings.find((b) => b.binding.name === undefined) ?? bindings[0]
}
