import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { appFileSchema, appJsonSchema } from '../../src-shared/app-schema'

// written by npm run build (scripts/gen-schema.mjs); the tests run after the build
const built = JSON.parse(readFileSync('schema/app.schema.json', 'utf8')) as Record<string, unknown>
const yamlOf = (path: string): unknown => parse(readFileSync(path, 'utf8'))

describe('app.yaml schema', () => {
  it('is what the build wrote to schema/app.schema.json', () => {
    expect(built, 'schema/app.schema.json is stale: run `npm run build` (or `npm run schema`)').toEqual(appJsonSchema())
  })

  it('is what examples/app.yaml points editors at', () => {
    const first = readFileSync('examples/app.yaml', 'utf8').split('\n')[0]
    expect(first).toBe('# yaml-language-server: $schema=../schema/app.schema.json')
  })

  describe('as JSON Schema, the way an editor checks a file', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(built)

    it('accepts the examples and both forms', () => {
      for (const file of ['examples/app.yaml', 'tests/fixtures/config/full/app.yaml']) {
        expect(validate(yamlOf(file)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
      }
      expect(validate([{ name: 'web', executable: 'node', args: ['a'], env: ['A=1', { name: 'B', value: 2 }] }])).toBe(true)
      expect(validate({ 'x-node': { executable: 'node' }, services: [{ name: 'web', executable: 'node' }] })).toBe(true)
    })

    it('rejects an unknown field, a bad port and a bad name', () => {
      expect(validate([{ name: 'web', executable: 'node', replicaz: 2 }])).toBe(false)
      expect(validate([{ name: 'web', executable: 'node', bindings: [{ port: 70000 }] }])).toBe(false)
      expect(validate([{ name: 'My_Web', executable: 'node' }])).toBe(false)
      expect(validate({ name: 'x', services: [], extra: 1 })).toBe(false)
    })
  })

  it('describes the fields editors show on hover', () => {
    const service = (built.definitions as Record<string, { properties: Record<string, { description?: string }> }>).service!
    for (const [field, schema] of Object.entries(service.properties)) {
      expect(schema.description ?? (schema as { $ref?: string }).$ref, field).toBeTruthy()
    }
  })

  it('takes both forms in zod too, with the same verdicts', () => {
    expect(appFileSchema.safeParse(yamlOf('examples/app.yaml')).success).toBe(true)
    expect(appFileSchema.safeParse([{ name: 'web', image: 'redis', stopGracePeriod: '500ms', restart: 'never' }]).success).toBe(true)
    expect(appFileSchema.safeParse([{ name: 'web', executable: 'node', stopGracePeriod: '5 seconds' }]).success).toBe(false)
  })
})
