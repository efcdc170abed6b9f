// Checks a generated Compose file against the Compose specification's JSON Schema as the
// Compose implementation installed here carries it (Debian's docker-compose package, which
// .ci/run installs): the schema of the very program that runs the file in compose-run.test.ts.
import { existsSync, readFileSync } from 'node:fs'
import Ajv2019 from 'ajv/dist/2019'

export const COMPOSE_SCHEMA = '/usr/lib/python3/dist-packages/compose/config/compose_spec.json'

let validate: ((file: unknown) => boolean) & { errors?: unknown } | undefined

/** the schema's complaints, empty when the file is valid */
export function composeSchemaErrors(file: unknown): string[] {
  if (validate === undefined) {
    if (!existsSync(COMPOSE_SCHEMA)) throw new Error(`no ${COMPOSE_SCHEMA}: these tests check against the schema docker-compose carries; apt-get install -y docker-compose`)
    const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA, 'utf8')) as Record<string, unknown>
    // it names its draft (2019-09) by the old http:// address, which Ajv2019 knows as https://,
    // and labels its parts with draft-04's "id" (annotations only); "format" values (durations,
    // ports) are checked by Compose itself
    const { $schema: _draft, ...rules } = withoutIds(schema) as Record<string, unknown>
    validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(rules)
  }
  if (validate(file)) return []
  return (validate.errors as { instancePath: string; message?: string; params?: unknown }[]).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}

function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === 'id' && typeof v === 'string')).map(([key, v]) => [key, withoutIds(v)]))
}
