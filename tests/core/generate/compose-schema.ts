// Checks a generated Compose file against the Compose specification's JSON Schema as the
// Compose implementation installed here carries it (Debian's docker-compose package, which
// .ci/run installs): the schema of the very program that runs the file in compose-run.test.ts.
import { readFileSync } from 'node:fs'
import Ajv2019 from 'ajv/dist/2019'

export const COMPOSE_SCHEMA = '/usr/lib/python3/dist-packages/compose/config/compose_spec.json'

let validate: ((file: unknown) => boolean) & { errors?: unknown } | undefined

/** the schema's complaints, empty when the file is valid */
export function composeSchemaErrors(file: unknown): string[] {
  if (validate === undefined) {
    const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA, 'utf8')) as Record<string, unknown>
    // its $id is a relative name, and "format" values (durations, ports) are checked by Compose itself
    validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile({ ...schema, $id: undefined })
  }
  if (validate(file)) return []
  return (validate.errors as { instancePath: string; message?: string; params?: unknown }[]).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}
