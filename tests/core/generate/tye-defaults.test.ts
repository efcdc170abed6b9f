// Tye's top-level `registry` and `namespace` are what `generate` uses when the command line
// names none; the command line's --registry / --namespace still win.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { generateCompose } from '../../../src-main/core/generate/compose'
import { generateKubernetes } from '../../../src-main/core/generate/k8s'
import type { Application } from '../../../src-shared/app-model'

const TYE = (top: string): string => `name: shop
${top}
services:
  - name: web
    dockerFile: web/Dockerfile
    bindings:
      - port: 5005
`

// the Dockerfile must exist: the loader checks it
let folder = ''
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'micronetes-tye-defaults-'))
  mkdirSync(join(folder, 'web'))
  writeFileSync(join(folder, 'web', 'Dockerfile'), 'FROM scratch\n')
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

function load(text: string): Application {
  const loaded = parseApplication(text, join(folder, 'tye.yaml'))
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.line}:${p.col}: ${p.message}`).join('\n'))
  return loaded.application
}

function deployment(application: Application, options: Parameters<typeof generateKubernetes>[1] = {}): { namespace?: string; image?: string } {
  const result = generateKubernetes(application, options)
  if (!result.ok) throw new Error(result.problems.join('\n'))
  const object = result.value.find((m) => m.object.kind === 'Deployment')?.object as { metadata?: { namespace?: string }; spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
  return { namespace: object.metadata?.namespace, image: object.spec?.template?.spec?.containers?.[0]?.image }
}

describe("Tye's registry and namespace in generate", () => {
  it('tags built images for the registry and puts every object in the namespace', () => {
    const application = load(TYE('registry: registry.example.com/shop\nnamespace: shop-dev'))
    expect(application.registry).toBe('registry.example.com/shop')
    expect(deployment(application)).toEqual({ namespace: 'shop-dev', image: 'registry.example.com/shop/web:latest' })
  })

  it('reads the registry written as a map with hostname, as Tye allows', () => {
    const application = load(TYE('registry:\n  hostname: registry.example.com'))
    expect(deployment(application).image).toBe('registry.example.com/web:latest')
  })

  it('lets the command line win over the file', () => {
    const application = load(TYE('registry: registry.example.com/shop\nnamespace: shop-dev'))
    expect(deployment(application, { registry: 'other.example.com', namespace: 'elsewhere' })).toEqual({ namespace: 'elsewhere', image: 'other.example.com/web:latest' })
  })

  it('without either, refuses the built image as before and names no namespace', () => {
    const result = generateKubernetes(load(TYE('')))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problems.join('\n')).toContain('give --registry')
  })

  it('tags the image Compose builds for the registry', () => {
    const result = generateCompose(load(TYE('registry: registry.example.com/shop')))
    if (!result.ok) throw new Error(result.problems.join('\n'))
    expect(result.value.file.services?.web?.image).toBe('registry.example.com/shop/web:latest')
  })

  it('refuses a namespace Kubernetes would refuse, at its line and column', () => {
    const loaded = parseApplication(TYE('namespace: Shop_Dev'), join(folder, 'tye.yaml'))
    expect(loaded.ok).toBe(false)
    if (!loaded.ok) expect(loaded.problems).toContainEqual(expect.objectContaining({ line: 2, col: 12, message: expect.stringContaining('namespace "Shop_Dev"') }))
  })
})
