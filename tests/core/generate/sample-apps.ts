// Applications built by hand for the generators: every binding form (default and named,
// with and without port or containerPort, connection strings), every probe form (http with
// headers and https, tcp on a binding or a fixed port, exec, log), every dependency condition,
// and external services at a DNS name, an IP address and on this machine.
import type { Application, Probe, ProbeCheck, Service } from '../../../src-shared/app-model'
import { binding, serviceDefaults } from '../orchestrator-helpers'

export function probe(check: ProbeCheck, more: Partial<Probe> = {}): Probe {
  return { check, initialDelayMs: 2000, periodMs: 5000, timeoutMs: 1500, successThreshold: 2, failureThreshold: 4, ...more }
}

function service(name: string, more: Partial<Service>): Service {
  return { ...serviceDefaults(), name, kind: 'container', image: `example/${name}:1`, ...more }
}

export function everyForm(): Application {
  const services: Service[] = [
    service('web', {
      kind: 'executable', executable: 'node', image: undefined, args: ['server.js'], workingDirectory: '/home/me/web', replicas: 2,
      deploy: { image: 'registry.example.com/web:2', requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      env: [{ name: 'GREETING', value: 'hello $USER' }, { name: 'FLAG', value: 'on' }],
      bindings: [binding({ port: 5005 }), binding({ name: 'metrics', protocol: 'http' })],
      readiness: probe({ kind: 'http', path: '/ready', binding: 'metrics', scheme: 'https', headers: [{ name: 'X-Probe', value: 'yes' }] }),
      liveness: probe({ kind: 'tcp' }),
    }),
    service('api', {
      args: ['serve', '--port', '9000'], workingDirectory: '/srv',
      bindings: [binding({ containerPort: 9000 }), binding({ name: 'admin-ui', port: 9443, containerPort: 443, protocol: 'https' })],
      readiness: probe({ kind: 'exec', command: ['/bin/check', '--ready'] }),
      liveness: probe({ kind: 'http', path: '/healthz', scheme: 'http', headers: [] }),
    }),
    service('db', {
      bindings: [binding({ port: 5432, containerPort: 5432, protocol: 'tcp', connectionString: 'Host=${host};Port=${port};Password=secret' })],
      readiness: probe({ kind: 'tcp', port: 5432 }),
      volumes: [{ source: '/home/me/data', target: '/var/lib/data', readOnly: false }],
    }),
    service('logger', { readiness: probe({ kind: 'log', pattern: 'listening on \\d+' }), bindings: [binding({ port: 7000, containerPort: 7000 })] }),
    service('migrate', { args: ['migrate'], restart: 'never' }),
    service('queue', {}),
    service('worker', {
      kind: 'project', project: '/home/me/worker/Worker.csproj', image: undefined, deploy: { image: 'registry.example.com/worker:2' },
      bindings: [binding({ port: 6000 })],
      dependsOn: [
        { service: 'db', condition: 'ready' },
        { service: 'api', condition: 'started' },
        { service: 'migrate', condition: 'completed' },
        { service: 'queue', condition: 'ready' },
        { service: 'logger', condition: 'ready' },
        { service: 'payments', condition: 'ready' },
      ],
    }),
    service('paused', { autoStart: false, restart: 'never', maxRestarts: 3, replicas: 2 }),
    { ...serviceDefaults(), name: 'payments', kind: 'external', bindings: [binding({ host: 'payments.example.com', port: 443, protocol: 'https' })] },
    { ...serviceDefaults(), name: 'ldap', kind: 'external', bindings: [binding({ host: '10.0.0.7', port: 389, protocol: 'ldap' })] },
    { ...serviceDefaults(), name: 'license', kind: 'external', bindings: [binding({ port: 27000, protocol: 'tcp', connectionString: 'tcp://${host}:${port}' })] },
  ]
  return { name: 'Every Form', source: '/home/me/app.yaml', directory: '/home/me', services }
}

/** the same application with an image for every service that runs, as deploy: gives it */
export function withImages(application: Application): Application {
  return {
    ...application,
    services: application.services.map((s) => (s.kind === 'project' || s.kind === 'executable') && s.deploy?.image === undefined ? { ...s, deploy: { ...s.deploy, image: `registry.example.com/${s.name}:1` } } : s),
  }
}
