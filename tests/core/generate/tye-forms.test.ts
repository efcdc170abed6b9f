// Project Tye's forms through the generators: a service built from a Dockerfile, a binding of
// only a connection string, a named volume.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { Application } from '../../../src-shared/app-model'
import { loadApplication } from '../../../src-main/core/config/load-application'
import { generateCompose } from '../../../src-main/core/generate/compose'
import { composeYaml } from '../../../src-main/core/generate/compose-yaml'
import { generateKubernetes } from '../../../src-main/core/generate/k8s'
import { composeSchemaErrors } from './compose-schema'
import { validateKubernetesObject } from './kubernetes-schema'

let dir: string
let application: Application

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micronetes-tye-forms-'))
  await mkdir(join(dir, 'web'))
  await writeFile(join(dir, 'web', 'Dockerfile'), 'FROM scratch\n')
  await writeFile(join(dir, 'app.yaml'), `name: tye-forms
services:
  - name: web
    dockerFile: web/Dockerfile
    dockerFileArgs:
      - VERSION: "1.2"
    image: shop/web:dev
    bindings:
      - port: 8080
  - name: cache
    image: redis:7
    volumes:
      - { name: cache-data, target: /data }
    bindings:
      - port: 6379
        protocol: redis
  - name: billing
    external: true
    bindings:
      - connectionString: Server=billing.example.com;Database=bills
`)
  const loaded = await loadApplication(join(dir, 'app.yaml'))
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
  application = loaded.application
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('Tye forms', () => {
  it('asks a cluster generation for --registry when an image is built from a Dockerfile, then names it there', () => {
    expect(generateKubernetes(application)).toEqual({ ok: false, problems: [expect.stringMatching(/^service "web" builds its image from a Dockerfile.*give --registry \(the image becomes <registry>\/web:dev/)] })
    const result = generateKubernetes(application, { registry: 'registry.example.com/shop/' })
    if (!result.ok) throw new Error(result.problems.join('\n'))
    for (const m of result.value) validateKubernetesObject(m.object)
    const web = result.value.find((m) => m.object.kind === 'Deployment' && m.object.metadata?.name === 'web')!.object as { spec: { template: { spec: { containers: { image: string }[] } } } }
    expect(web.spec.template.spec.containers[0]!.image).toBe('registry.example.com/shop/web:dev')
    const discovery = result.value[0]!.object as { data: Record<string, string> }
    expect(discovery.data.SERVICE__BILLING__HOST).toBeUndefined()
    const secret = result.value[1]!.object as { stringData: Record<string, string> }
    expect(secret.stringData).toEqual({ CONNECTIONSTRINGS__BILLING: 'Server=billing.example.com;Database=bills' })
  })

  it('lets Compose build the image, keeps named volumes, and passes a connection string only binding as written', async () => {
    const result = generateCompose(application)
    if (!result.ok) throw new Error(result.problems.join('\n'))
    const { file } = result.value
    expect(composeSchemaErrors(file)).toEqual([])
    expect(file.services.web).toMatchObject({ image: 'shop/web:dev', build: { context: './web', dockerfile: 'Dockerfile', args: { VERSION: '1.2' } } })
    expect(file.services.cache!.volumes).toEqual([{ type: 'volume', source: 'cache-data', target: '/data' }])
    expect(file.volumes).toEqual({ 'cache-data': {} })
    expect(file.services.web!.environment).toMatchObject({ CONNECTIONSTRINGS__BILLING: 'Server=billing.example.com;Database=bills', SERVICE__CACHE__HOST: 'cache' })
    expect(file.services.billing).toBeUndefined()
    await writeFile(join(dir, 'compose.yaml'), composeYaml(result.value))
    const { stdout } = await promisify(execFile)('docker-compose', ['-f', join(dir, 'compose.yaml'), 'config'])
    expect(parse(stdout).services.web.build.context).toBe(join(dir, 'web'))
    const tagged = generateCompose(application, { registry: 'registry.example.com' })
    expect(tagged.ok && tagged.value.file.services.web!.image).toBe('registry.example.com/web:dev')
  })
})
