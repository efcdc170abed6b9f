import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import type { Application } from '../../../src-shared/app-model'
import { loadApplication, parseApplication } from '../../../src-main/core/config/load-application'
import { generateKubernetes, type Manifest } from '../../../src-main/core/generate/k8s'
import { yamlStream } from '../../../src-main/core/generate/manifest-yaml'
import { validateKubernetesObject } from './kubernetes-schema'
import { everyForm, withImages } from './sample-apps'

function generated(application: Application, options = {}): { manifests: Manifest[]; notes: string[] } {
  const result = generateKubernetes(application, options)
  if (!result.ok) throw new Error(result.problems.join('\n'))
  for (const m of result.value) validateKubernetesObject(m.object)
  return { manifests: result.value, notes: result.notes.map((n) => `${n.service ?? ''}: ${n.message}`) }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function find(manifests: Manifest[], kind: string, name: string): any {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata?.name === name)
  if (!found) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => `${m.object.kind}/${m.object.metadata?.name}`).join(', ')}`)
  return found.object
}

describe('generate k8s', () => {
  it('makes valid objects of every binding, probe and dependency form', () => {
    const { manifests } = generated(everyForm())
    expect(manifests.map((m) => `${m.object.kind}/${m.object.metadata?.name}`)).toEqual([
      'ConfigMap/every-form-discovery', 'Secret/every-form-connection-strings',
      'ConfigMap/web-env', 'Deployment/web', 'Service/web',
      'ConfigMap/api-env', 'Deployment/api', 'Service/api',
      'ConfigMap/db-env', 'Deployment/db', 'Service/db',
      'ConfigMap/logger-env', 'Deployment/logger', 'Service/logger',
      'Job/migrate', 'Deployment/queue',
      'ConfigMap/worker-env', 'Deployment/worker', 'Service/worker',
      'Deployment/paused',
      'Service/payments',
    ])
    for (const m of manifests) expect(m.object.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('micronetes')
  })

  it('rewrites the discovery variables for the cluster: Service names and ports, connection strings in a Secret', () => {
    const { manifests } = generated(everyForm())
    const discovery = find(manifests, 'ConfigMap', 'every-form-discovery').data
    expect(discovery).toMatchObject({
      SERVICE__WEB__HOST: 'web', SERVICE__WEB__PORT: '5005', WEB_SERVICE_PORT: '5005',
      SERVICE__WEB__METRICS__PORT: '8080', WEB_METRICS_SERVICE_HOST: 'web',
      SERVICE__API__PORT: '9000', 'SERVICE__API__ADMIN-UI__PORT': '9443', 'SERVICE__API__ADMIN-UI__PROTOCOL': 'https', API_ADMIN_UI_SERVICE_PORT: '9443',
      SERVICE__PAYMENTS__HOST: 'payments', SERVICE__PAYMENTS__PORT: '443',
      SERVICE__LDAP__HOST: '10.0.0.7',
      SERVICE__LICENSE__HOST: 'license',
    })
    expect(Object.keys(discovery).filter((k) => k.startsWith('CONNECTIONSTRINGS'))).toEqual([])
    expect(find(manifests, 'Secret', 'every-form-connection-strings').stringData).toEqual({
      CONNECTIONSTRINGS__DB: 'Host=db;Port=5432;Password=secret',
      CONNECTIONSTRINGS__LICENSE: 'tcp://license:27000',
    })
    // the service's own env wins: its ConfigMap comes last
    const web = find(manifests, 'Deployment', 'web').spec.template.spec.containers[0]
    expect(web.envFrom).toEqual([
      { configMapRef: { name: 'every-form-discovery' } },
      { secretRef: { name: 'every-form-connection-strings' } },
      { configMapRef: { name: 'web-env' } },
    ])
    expect(web.env).toEqual([{ name: 'APP_INSTANCE', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }])
    expect(find(manifests, 'ConfigMap', 'web-env').data).toEqual({ PORT: '5005;8080', GREETING: 'hello $USER', FLAG: 'on' })
    expect(find(manifests, 'ConfigMap', 'worker-env').data).toEqual({ PORT: '6000', ASPNETCORE_URLS: 'http://+:6000' })
  })

  it('gives each Deployment its image, replicas, args, ports, probes and resources, and each Service its ports', () => {
    const { manifests } = generated(everyForm())
    const web = find(manifests, 'Deployment', 'web')
    expect(web.spec.replicas).toBe(2)
    expect(web.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'every-form' })
    const container = web.spec.template.spec.containers[0]
    expect(container).toMatchObject({
      image: 'registry.example.com/web:2',
      ports: [{ containerPort: 5005, protocol: 'TCP' }, { containerPort: 8080, protocol: 'TCP', name: 'metrics' }],
      readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, initialDelaySeconds: 2, periodSeconds: 5, timeoutSeconds: 2, successThreshold: 2, failureThreshold: 4 },
      livenessProbe: { tcpSocket: { port: 5005 }, successThreshold: 1 },
      resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    })
    // a program's image starts it by its own command: this machine's paths mean nothing there
    expect(container.args).toBeUndefined()
    expect(container.workingDir).toBeUndefined()
    const api = find(manifests, 'Deployment', 'api').spec.template.spec.containers[0]
    expect(api).toMatchObject({ image: 'example/api:1', args: ['serve', '--port', '9000'], workingDir: '/srv', readinessProbe: { exec: { command: ['/bin/check', '--ready'] } }, livenessProbe: { httpGet: { path: '/healthz', port: 9000, scheme: 'HTTP' } } })
    expect(find(manifests, 'Deployment', 'db').spec.template.spec.containers[0].readinessProbe.tcpSocket).toEqual({ port: 5432 })
    // no readiness: ready once its port accepts a connection, as locally
    expect(find(manifests, 'Deployment', 'worker').spec.template.spec.containers[0].readinessProbe).toEqual({ tcpSocket: { port: 6000 }, periodSeconds: 1 })
    expect(find(manifests, 'Deployment', 'queue').spec.template.spec.containers[0].readinessProbe).toBeUndefined()
    expect(find(manifests, 'Service', 'api').spec.ports).toEqual([
      { name: 'default', port: 9000, targetPort: 9000, protocol: 'TCP' },
      { name: 'admin-ui', port: 9443, targetPort: 443, protocol: 'TCP' },
    ])
    expect(find(manifests, 'Service', 'web').spec.selector).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'every-form' })
  })

  it('says what has no Kubernetes form, in the output and in the notes', () => {
    const { manifests, notes } = generated(everyForm())
    const logger = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata?.name === 'logger')!
    expect((logger.object as ReturnType<typeof find>).spec.template.spec.containers[0].readinessProbe).toBeUndefined()
    expect(logger.comments.join('\n')).toMatch(/log line matching \/listening on \\d\+\/.*no readiness probe generated/)
    expect(yamlStream(manifests)).toMatch(/^# its readiness waits for a log line/m)
    expect(notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^logger: its readiness waits for a log line/),
      expect.stringMatching(/^db: its volumes \(\/var\/lib\/data\)/),
      expect.stringMatching(/^worker: it waits for "migrate" to complete/),
      expect.stringMatching(/^worker: it waits for "queue" to be ready locally; "queue" has no binding/),
      expect.stringMatching(/^paused: autoStart is false: generated with 0 replicas/),
      expect.stringMatching(/^paused: restart: never has no Deployment form/),
      expect.stringMatching(/^paused: maxRestarts \(3\)/),
      expect.stringMatching(/^ldap: external, at addresses/),
      expect.stringMatching(/^license: external, on this machine \(localhost:27000\)/),
    ]))
    expect(find(manifests, 'Deployment', 'paused').spec.replicas).toBe(0)
  })

  it('waits for ready dependencies in init containers, runs what others wait to complete as a Job', () => {
    const { manifests } = generated(everyForm())
    const pod = find(manifests, 'Deployment', 'worker').spec.template.spec
    expect(pod.initContainers).toEqual([
      { name: 'wait-1-db', image: 'busybox:1.37', command: ['sh', '-c', 'until nc -z -w 2 db 5432; do echo "waiting for db (db:5432)"; sleep 2; done'] },
      { name: 'wait-2-logger', image: 'busybox:1.37', command: ['sh', '-c', 'until nc -z -w 2 logger 7000; do echo "waiting for logger (logger:7000)"; sleep 2; done'] },
    ])
    const job = find(manifests, 'Job', 'migrate')
    expect(job.spec).toMatchObject({ completions: 1, backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ args: ['migrate'] }] } } })
    expect(find(manifests, 'Service', 'payments').spec).toEqual({ type: 'ExternalName', externalName: 'payments.example.com' })
  })

  it('puts every object in the namespace and names Services by their qualified name', () => {
    const { manifests } = generated(everyForm(), { namespace: 'shop', waitImage: 'mirror.example.com/busybox:1' })
    for (const m of manifests) expect(m.object.metadata?.namespace).toBe('shop')
    expect(find(manifests, 'ConfigMap', 'every-form-discovery').data.SERVICE__WEB__HOST).toBe('web.shop.svc')
    expect(find(manifests, 'Deployment', 'worker').spec.template.spec.initContainers[0].image).toBe('mirror.example.com/busybox:1')
  })

  it('marks each pod template with a digest of its environment, so a changed env rolls the pods', () => {
    const digest = (application: Application, name: string): string => find(generated(application).manifests, 'Deployment', name).spec.template.metadata.annotations['micronetes.dev/env-digest']
    const app = everyForm()
    expect(digest(app, 'web')).toMatch(/^[0-9a-f]{16}$/)
    expect(digest(everyForm(), 'web')).toBe(digest(app, 'web'))
    const changedOwn = { ...app, services: app.services.map((s) => (s.name === 'web' ? { ...s, env: [...s.env, { name: 'MORE', value: '1' }] } : s)) }
    expect(digest(changedOwn, 'web')).not.toBe(digest(app, 'web'))
    expect(digest(changedOwn, 'api')).toBe(digest(app, 'api'))
    // another service's port is in everyone's discovery variables
    const movedDb = { ...app, services: app.services.map((s) => (s.name === 'db' ? { ...s, bindings: s.bindings.map((b) => ({ ...b, port: 5433 })) } : s)) }
    expect(digest(movedDb, 'api')).not.toBe(digest(app, 'api'))
  })

  it('writes YAML that reads back as the same objects', () => {
    const { manifests } = generated(everyForm())
    const docs = parseAllDocuments(yamlStream(manifests)).map((d) => d.toJS())
    expect(docs).toEqual(manifests.map((m) => m.object))
  })

  it('refuses, naming every service without an image, and makes nothing', async () => {
    const loaded = await loadApplication('examples/app.yaml')
    if (!loaded.ok) throw new Error('examples/app.yaml does not load')
    const result = generateKubernetes(loaded.application)
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^service "web" \(a program\) has no image.*deploy: \{ image: /), expect.stringMatching(/^service "worker" \(a program\)/)] })
  })

  it.each(['examples/app.yaml', 'examples/docker/app.yaml', 'examples/pubsub/app.yaml'])('makes valid objects of %s once its programs have images', async (file) => {
    const loaded = await loadApplication(file)
    if (!loaded.ok) throw new Error(`${file} does not load`)
    const { manifests } = generated(withImages(loaded.application))
    const deployments = manifests.filter((m) => m.object.kind === 'Deployment')
    expect(deployments.map((m) => m.object.metadata?.name)).toEqual(loaded.application.services.map((s) => s.name))
  })

  it('makes valid objects of an app.yaml with every probe and dependency spelling', () => {
    const loaded = parseApplication(`
name: health
services:
  - name: api
    image: example/api:1
    bindings:
      - { port: 8000, containerPort: 80 }
      - { name: admin, port: 8001, containerPort: 81 }
    readiness:
      http: { path: /ready, port: 8001, headers: { X-Probe: 'yes' } }
      initialDelay: 2s
      period: 500ms
    liveness:
      tcp: {}
      failureThreshold: 5
  - name: db
    image: example/db:1
    bindings: [{ port: 5432, protocol: tcp }]
    readiness: { exec: { command: pg_isready -q } }
    liveness: { exec: { command: [pg_isready, -q] }, period: 10 }
  - name: seed
    image: example/seed:1
    readiness: { log: 'seeded \\d+ rows' }
    dependsOn: [db]
  - name: web
    image: example/web:1
    dependsOn:
      api: { condition: started }
      db: { condition: ready }
      seed: { condition: completed }
`, '/apps/health/app.yaml')
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
    const { manifests, notes } = generated(loaded.application)
    const container = (name: string) => find(manifests, 'Deployment', name).spec.template.spec.containers[0]
    expect(container('api').readinessProbe).toEqual({ httpGet: { path: '/ready', port: 81, scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, initialDelaySeconds: 2, periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 })
    expect(container('api').livenessProbe).toMatchObject({ tcpSocket: { port: 80 }, failureThreshold: 5 })
    expect(container('db').readinessProbe.exec).toEqual({ command: ['pg_isready', '-q'] })
    expect(container('db').livenessProbe).toMatchObject({ exec: { command: ['pg_isready', '-q'] }, periodSeconds: 10 })
    expect(find(manifests, 'Job', 'seed').spec.template.spec.initContainers[0].command[2]).toContain('nc -z -w 2 db 5432')
    expect(find(manifests, 'Deployment', 'web').spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-1-db'])
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/^seed: its readiness waits for a log line/), expect.stringMatching(/^web: it waits for "seed" to complete/)]))
  })

  it('has a schema check that fails on a wrong object', () => {
    const { manifests } = generated(everyForm())
    const deployment = structuredClone(find(manifests, 'Deployment', 'web'))
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '5005'
    expect(() => validateKubernetesObject(deployment)).toThrow(/containerPort must be integer/)
    expect(() => validateKubernetesObject({ ...find(manifests, 'Service', 'web'), spec: { ports: [{ port: 'x' }] } })).toThrow(/port/)
  })
})
