import { describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { applicationDifference, describeDifference } from '../../../src-main/core/reload/application-difference'
import type { Application } from '../../../src-shared/app-model'

function app(yaml: string): Application {
  const result = parseApplication(yaml, '/apps/demo/app.yaml', { environment: {} })
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.application
}

const base = `
- name: web
  executable: node
  args: server.js
  replicas: 2
  env: { MODE: a, LEVEL: info }
  bindings: [{ port: 5005 }]
- name: worker
  executable: node
  args: worker.js
  replicas: 3
- name: db
  external: true
  bindings: [{ port: 5432 }]
`

describe('applicationDifference', () => {
  it('finds nothing in the same file, whatever the order of env and keys', () => {
    const reordered = base.replace('env: { MODE: a, LEVEL: info }', 'env: { LEVEL: info, MODE: a }')
    const d = applicationDifference(app(base), app(reordered))
    expect(d).toEqual({ added: [], removed: [], replaced: [], scaled: [], rewatched: [], unchanged: ['web', 'worker', 'db'] })
    expect(describeDifference(d)).toBe('nothing to apply')
  })

  it('tells a scale from a replacement, and names the fields that changed', () => {
    const next = base.replace('args: server.js', 'args: server.js --fast').replace('replicas: 3', 'replicas: 1').replace('MODE: a', 'MODE: b')
    const d = applicationDifference(app(base), app(next))
    expect(d.replaced).toEqual([{ service: 'web', reasons: ['args', 'env'], from: 2, to: 2 }])
    expect(d.scaled).toEqual([{ service: 'worker', from: 3, to: 1 }])
    expect(d.unchanged).toEqual(['db'])
    expect(describeDifference(d)).toBe('web replaced (args, env), worker scaled 3 -> 1')
  })

  it('adds and removes services without touching the others', () => {
    const next = `${base.replace(/- name: worker[\s\S]*?replicas: 3\n/, '')}
- name: cache
  executable: redis-server
  bindings: [{ port: 6380 }]
`
    const d = applicationDifference(app(base), app(next))
    expect(d).toMatchObject({ added: ['cache'], removed: ['worker'], replaced: [], scaled: [], unchanged: ['web', 'db'] })
    expect(describeDifference(d)).toBe('cache added, worker removed')
  })

  it("replaces the others when a service's binding changes what they are told", () => {
    const d = applicationDifference(app(base), app(base.replace('port: 5005', 'port: 5006')))
    expect(d.replaced).toEqual([
      { service: 'web', reasons: ['port 5005 -> 5006'], from: 2, to: 2 },
      { service: 'worker', reasons: ['discovery of web'], from: 3, to: 3 },
    ])
    // the external service is not run: nothing to replace
    expect(d.unchanged).toEqual(['db'])
    expect(describeDifference(d)).toBe('web replaced (port 5005 -> 5006), worker replaced (discovery of web)')
  })

  it('counts a change of replicas with a replacement, and a watch change as no replacement', () => {
    const next = base.replace('replicas: 2', 'replicas: 4\n  workingDirectory: /tmp').replace('args: worker.js', 'args: worker.js\n  watch: src')
    const d = applicationDifference(app(base), app(next))
    expect(d.replaced).toEqual([{ service: 'web', reasons: ['workingDirectory'], from: 2, to: 4 }])
    expect(d.rewatched).toEqual(['worker'])
    expect(describeDifference(d)).toBe('web replaced (workingDirectory, replicas 2 -> 4), worker watch changed')
  })

  it('stops removed services dependents first', () => {
    const running = app(base)
    const next = app(base)
    running.services.push(
      { ...running.services[1]!, name: 'api', dependsOn: [{ service: 'queue', condition: 'ready' }] },
      { ...running.services[1]!, name: 'queue', dependsOn: [] },
      { ...running.services[1]!, name: 'front', dependsOn: [{ service: 'api', condition: 'started' }] },
    )
    expect(applicationDifference(running, next).removed).toEqual(['front', 'api', 'queue'])
  })
})
