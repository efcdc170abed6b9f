// readiness and liveness of app.yaml as Kubernetes probes. A probe that waits for a log line
// has no Kubernetes form: the kubelet never reads a container's output.
import type { IProbe } from 'kubernetes-models/v1/Probe'
import type { Probe } from '../../../src-shared/app-model'
import { bindingNamed, type TargetBinding } from './target-ports'

export type ProbeResult = { probe: IProbe } | { none: string }

const seconds = (ms: number, least: number): number => Math.max(least, Math.round(ms / 1000))

export function kubernetesProbe(probe: Probe, bindings: TargetBinding[], which: 'readiness' | 'liveness'): ProbeResult {
  const timing = {
    initialDelaySeconds: seconds(probe.initialDelayMs, 0),
    periodSeconds: seconds(probe.periodMs, 1),
    timeoutSeconds: seconds(probe.timeoutMs, 1),
    // the API server refuses any other value for a liveness probe
    successThreshold: which === 'liveness' ? 1 : probe.successThreshold,
    failureThreshold: probe.failureThreshold,
  }
  const check = probe.check
  switch (check.kind) {
    case 'http':
    case 'tcp': {
      const port = check.port ?? bindingNamed(bindings, check.binding)?.containerPort
      if (port === undefined) return { none: `its ${which} probe names no port and it has no such binding: no probe generated` }
      if (check.kind === 'tcp') return { probe: { tcpSocket: { port }, ...timing } }
      const httpHeaders = check.headers.map(({ name, value }) => ({ name, value }))
      return { probe: { httpGet: { path: check.path, port, scheme: check.scheme === 'https' ? 'HTTPS' : 'HTTP', ...(httpHeaders.length > 0 ? { httpHeaders } : {}) }, ...timing } }
    }
    case 'exec':
      return { probe: { exec: { command: check.command }, ...timing } }
    case 'log':
      return { none: `its ${which} waits for a log line matching /${check.pattern}/, which Kubernetes cannot watch: no ${which} probe generated; add an http, tcp or exec probe for the cluster` }
  }
}
