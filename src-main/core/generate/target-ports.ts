// The ports of a service once it runs as containers on a cluster or a Compose host. There is
// no proxy in front of replicas there: each container listens on its own port (PORT), and the
// platform's service (a Kubernetes Service, Compose's network alias) spreads connections.
import { listeningBindings, type Binding, type Service } from '../../../src-shared/app-model'

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
  const listening = listeningBindings(service)
  const taken = new Set(listening.map((b) => b.containerPort ?? b.port).filter((p) => p !== undefined))
  let next = FIRST_UNSPECIFIED_PORT
  const unspecified = (): number => {
    while (taken.has(next)) next++
    taken.add(next)
    return next
  }
  return listening.map((binding) => {
    const containerPort = binding.containerPort ?? binding.port ?? unspecified()
    return { binding, containerPort, port: binding.port ?? containerPort }
  })
}

/** the target form of one of the service's bindings (a listening one) */
export function targetBinding(service: Service, binding: Binding): TargetBinding {
  const found = targetBindings(service).find((t) => t.binding === binding)
  if (found === undefined) throw new Error(`binding ${binding.name ?? '(default)'} of ${service.name} does not listen`)
  return found
}

/** the binding a probe names (undefined: the default one, else the first), as DESIGN.md's discovery picks it */
export function bindingNamed(bindings: TargetBinding[], name: string | undefined): TargetBinding | undefined {
  if (name !== undefined) return bindings.find((b) => b.binding.name === name)
  return bindings.find((b) => b.binding.name === undefined) ?? bindings[0]
}
