// deploy: in app.yaml, read into the model, and its mistakes reported where they are.
import { describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { formatProblem } from '../../../src-shared/problems'

function load(text: string) {
  const result = parseApplication(text, 'app.yaml')
  return result.ok ? { services: result.application.services } : { problems: result.problems.map(formatProblem) }
}

describe('deploy in app.yaml', () => {
  it('reads the image and resources, CPU and memory as Kubernetes spells them', () => {
    const loaded = load(`
- name: web
  executable: node
  deploy:
    image: registry.example.com/web:1.2
    resources:
      requests: { cpu: 250m, memory: 128Mi }
      limits: { cpu: 2, memory: 1073741824 }
- name: db
  image: postgres:16
`)
    expect(loaded.services?.[0]?.deploy).toEqual({ image: 'registry.example.com/web:1.2', requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '2', memory: '1073741824' } })
    expect(loaded.services?.[1]?.deploy).toBeUndefined()
  })

  it('reports each mistake at its line and column', () => {
    expect(load(`
- name: web
  executable: node
  deploy:
    imag: registry.example.com/web:1
    resources:
      limits: { cpu: lots, memroy: 1Gi }
- name: api
  external: true
  bindings: [{ host: api.example.com, port: 443 }]
  deploy: { image: x }
`).problems).toEqual([
      'app.yaml:5:5: service "web": unknown field "imag" (did you mean "image"?)',
      'app.yaml:7:22: service "web": "cpu" must be cores ("0.5", "2") or millicores ("500m"), not "lots"',
      'app.yaml:7:28: service "web": unknown field "memroy" (did you mean "memory"?)',
      'app.yaml:11:3: service "api": an external service is not run, so it takes no "deploy"',
    ])
  })
})
