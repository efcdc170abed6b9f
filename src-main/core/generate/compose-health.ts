// A readiness probe as a Compose healthcheck. Docker runs the check inside the container, so
// an http or tcp probe becomes a command there: wget (busybox, Alpine, Debian) or curl for
// http, nc for tcp; the image must have one of them. A log-line probe has no form.
import type { Probe } from '../../../src-shared/app-model'
import { bindingNamed, type TargetBinding } from './target-ports'

export interface ComposeHealthcheck {
  test: string[]
  interval: string
  timeout: string
  retries: number
  start_period?: string
}

export type HealthResult = { healthcheck: ComposeHealthcheck } | { none: string }

/** Compose's duration: "5s", "500ms" */
export function composeDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

export function composeHealthcheck(probe: Probe, bindings: TargetBinding[]): HealthResult {
  const test = healthTest(probe, bindings)
  if ('none' in test) return test
  return {
    healthcheck: {
      test: test.test,
      interval: composeDuration(probe.periodMs),
      timeout: composeDuration(probe.timeoutMs),
      retries: probe.failureThreshold,
      ...(probe.initialDelayMs > 0 ? { start_period: composeDuration(probe.initialDelayMs) } : {}),
    },
  }
}

function healthTest(probe: Probe, bindings: TargetBinding[]): { test: string[] } | { none: string } {
  const check = probe.check
  switch (check.kind) {
    case 'exec':
      return { test: ['CMD', ...check.command] }
    case 'log':
      return { none: `its readiness waits for a log line matching /${check.pattern}/, which a Docker healthcheck cannot watch: no healthcheck generated` }
    case 'http':
    case 'tcp': {
      const port = check.port ?? bindingNamed(bindings, check.binding)?.containerPort
      if (port === undefined) return { none: 'its readiness probe names no port and it has no such binding: no healthcheck generated' }
      if (check.kind === 'tcp') return { test: ['CMD-SHELL', `nc -z 127.0.0.1 ${port}`] }
      const url = `${check.scheme}://127.0.0.1:${port}${check.path}`
      const headers = check.headers.map((h) => `${h.name}: ${h.value}`)
      const insecure = check.scheme === 'https'
      const wget = ['wget', '-q', '-O', '/dev/null', ...(insecure ? ['--no-check-certificate'] : []), ...headers.flatMap((h) => ['--header', h]), url]
      const curl = ['curl', '-fs', '-o', '/dev/null', ...(insecure ? ['-k'] : []), ...headers.flatMap((h) => ['-H', h]), url]
      return { test: ['CMD-SHELL', `${shellLine(wget)} || ${shellLine(curl)}`] }
    }
  }
}

/** words as sh reads them back: plain when safe, else in single quotes */
function shellLine(words: string[]): string {
  return words.map((w) => (/^[\w/.:@%+=,-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`)).join(' ')
}
