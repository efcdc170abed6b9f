// The raw app.yaml, field by field, as a person writes it. It only checks shapes: the
// loader (src-main/core/config) folds aliases, fills defaults, resolves paths and runs the
// checks that span fields, turning this into the Application of app-model.ts.
// scripts/gen-schema.mjs turns it into schema/app.schema.json for editors, so every field
// carries a description and the schema stays free of transforms.
import * as z from 'zod'
import { execProbeSchema, healthFields, httpProbeSchema, probeSchema, restartSchema, tcpProbeSchema } from './health-schema'
import { BINDING_NAME, BINDING_NAME_RULE, SERVICE_NAME, tyeApplicationFields, tyeBindingFields, tyeServiceFields } from './tye-schema'

export const MAX_REPLICAS_IN_FILE = 100

/** Kubernetes' DNS label (RFC 1123): service and binding names become host and variable names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
export const DNS_LABEL_RULE = 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'
/** what a service name may be as written: a DNS label in any case (Tye's names are case-insensitive) */
export const SERVICE_NAME_RULE = 'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters; upper case reads as lower case'

/** What a POSIX shell accepts as a variable name; anything else cannot be read back by a script. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
export const ENV_NAME_RULE = 'letters, digits and "_", not starting with a digit'

/**
 * Top-level keys of the map form that start with "x-" are ignored, as docker-compose does: a
 * place to define YAML anchors (`x-node: &node {...}`) that services then merge (`<<: *node`).
 */
export const EXTENSION_FIELD = /^x-/

/** "5s", "500ms", "1.5s", "2m" */
export const DURATION = /^\d+(\.\d+)?(ms|s|m)$/

const nonEmpty = z.string().min(1)
const port = z.number().int().min(1).max(65535)
const scalarValue = z.union([z.string(), z.number(), z.boolean()])

export const bindingSchema = z
  .strictObject({
    name: z
      .string()
      .max(63, { message: 'a binding name must be at most 63 characters' })
      .regex(BINDING_NAME, { message: `a binding name must be ${BINDING_NAME_RULE}` })
      .optional()
      .describe('binding name; at most one binding of a service may leave it out (the default binding)'),
    port: port.optional().describe('the port users and other services connect to (the proxy listens here); assigned at start when absent'),
    containerPort: port.optional().describe('containers only: the port inside the container (default: port)'),
    host: nonEmpty.optional().describe('the host other services use to reach it (default localhost)'),
    protocol: z
      .string()
      .regex(/^[a-z][a-z0-9+.-]*$/, { message: 'a protocol must be a lowercase URL scheme such as http, https or tcp' })
      .optional()
      .describe('default http'),
    connectionString: z.string().optional().describe('given to the others as CONNECTIONSTRINGS__<SERVICE>; ${host} and ${port} are filled in'),
    ...tyeBindingFields,
  })
  .meta({ id: 'binding', description: 'a port the service listens on' })

export const envEntrySchema = z
  .strictObject({
    name: nonEmpty.describe('variable name'),
    value: scalarValue.describe('variable value'),
  })
  .describe('one environment variable')

export const envSchema = z
  .union([
    z.record(z.string(), z.union([scalarValue, z.null()])).describe('KEY: value'),
    z.array(z.union([envEntrySchema, z.string().describe('KEY=value')])),
  ])
  .meta({ id: 'env', description: 'environment variables: a map KEY: value, or a list of {name, value} or KEY=value' })

export const volumeSchema = z
  .strictObject({
    source: nonEmpty.optional().describe('folder or file on this machine; relative to app.yaml'),
    name: nonEmpty.optional().describe('a named Docker volume instead of a source (created by the engine when missing, kept after the run)'),
    target: nonEmpty.describe('absolute path inside the container'),
    readOnly: z.boolean().optional().describe('mount read-only (default false)'),
  })
  .meta({ id: 'volume', description: 'a folder or file of this machine, or a named Docker volume, mounted into the container' })

/** the short form of restart; the long form { policy, maxRestarts } is in health-schema.ts */
export const restartPolicySchema = z
  .enum(['on-failure', 'always', 'never'])
  .describe('when a replica that exits is started again (default on-failure)')

const duration = (what: string) =>
  z.union([
    z.number().min(0).max(3600),
    z.string().regex(DURATION, { message: `${what} must look like "5s", "500ms" or "2m"` }),
  ])

const pathOrPaths = z.union([nonEmpty, z.array(nonEmpty).min(1)])

export const watchSchema = z
  .strictObject({
    paths: pathOrPaths.describe('files, folders or globs (relative to app.yaml) whose changes restart or rebuild the service'),
    ignore: z.array(nonEmpty).optional().describe('globs left out, beside node_modules, .git and the usual build outputs (which are watched only when named in paths)'),
    debounce: duration('a debounce').optional().describe('quiet time after the last change before acting: seconds, or "300ms" (default 300ms)'),
    action: z.enum(['restart', 'rebuild']).optional().describe('restart: replace the replicas; rebuild: run build first, then replace them (default: rebuild when the service has a build, else restart)'),
    cascade: z.boolean().optional().describe('true: the services that depend on this one are restarted too (default false)'),
  })
  .meta({ id: 'watch', description: 'what to watch and what to do on a change' })

export const serviceSchema = z
  .strictObject({
    name: z
      .string()
      .max(63, { message: 'a service name must be at most 63 characters' })
      .regex(SERVICE_NAME, { message: `a service name must be a DNS label: ${SERVICE_NAME_RULE}` })
      .describe(`service name, unique in the application: ${SERVICE_NAME_RULE}`),
    project: nonEmpty.optional().describe('a project to build and run: a folder, a package.json (npm start), or a .csproj/.fsproj (dotnet run)'),
    executable: nonEmpty.optional().describe('a program to run: a name on PATH, or a path (relative to app.yaml)'),
    dockerImage: nonEmpty.optional().describe('an image to run as containers'),
    image: nonEmpty.optional().describe('alias of dockerImage'),
    args: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('arguments: a string split like a shell would (never run through one), or a list taken as is'),
    workingDirectory: nonEmpty.optional().describe("the process's working directory, relative to app.yaml (default: the project's folder, or app.yaml's folder); for a container, an absolute path inside it"),
    replicas: z.number().int().min(0).max(MAX_REPLICAS_IN_FILE).optional().describe('how many copies run (default 1)'),
    external: z.boolean().optional().describe('true: Micronetes does not run it; its bindings are only published to the others'),
    env: envSchema.optional().describe('environment variables of every replica: a map KEY: value, or a list of {name, value} or KEY=value'),
    environment: envSchema.optional().describe('alias of env'),
    configuration: envSchema.optional().describe("alias of env (Project Tye's name)"),
    bindings: z.array(bindingSchema).optional().describe('the ports it listens on'),
    restart: restartSchema.optional(),
    stopGracePeriod: z
      .union([
        z.number().min(0).max(3600),
        z.string().regex(DURATION, { message: 'a duration must look like "5s", "500ms" or "2m"' }),
      ])
      .optional()
      .describe('how long a replica may take to exit after SIGTERM before it is killed: seconds, or "5s", "500ms" (default 5s)'),
    volumes: z.array(volumeSchema).optional().describe('folders, files or named volumes mounted into the container (a project keeps them for when it runs in one)'),
    envFile: pathOrPaths.optional().describe('dotenv file(s) read into env, relative to app.yaml; a later file wins over an earlier one, and env wins over them all'),
    build: z
      .union([nonEmpty, z.array(nonEmpty).min(1), z.boolean()])
      .optional()
      .describe("a command run in the working directory before the first start and before each rebuild: a string split like args (never run through a shell), or a list; or Project Tye's false: a .NET project runs as already built, without building it first"),
    watch: z
      .union([watchSchema, pathOrPaths])
      .optional()
      .describe('files, folders or globs whose changes restart the service (rebuild it when it has a build), or { paths, ignore, debounce, action, cascade }'),
    // health and start order (health-schema.ts): readiness, liveness, dependsOn, autoStart
    ...healthFields,
    // Project Tye's own fields (tye-schema.ts)
    ...tyeServiceFields,
  })
  .meta({ id: 'service', description: 'a service: a project, a program, a container image, or an external service' })

export const servicesSchema = z.array(serviceSchema).min(1).meta({ id: 'services', description: 'the services of the application' })

export const applicationMapSchema = z
  .strictObject({
    name: nonEmpty.optional().describe("application name (default: the name of app.yaml's folder)"),
    services: servicesSchema,
    ...tyeApplicationFields,
  })
  .describe('an application: a name and its services')

/** app.yaml: a list of services, or a map with a name and the services */
export const appFileSchema = z
  .union([servicesSchema, applicationMapSchema])
  .describe('Micronetes app.yaml: a list of services, or { name, services }')

export type RawBinding = z.infer<typeof bindingSchema>
export type RawEnv = z.infer<typeof envSchema>
export type RawVolume = z.infer<typeof volumeSchema>
export type RawWatch = z.infer<typeof watchSchema>
export type RawService = z.infer<typeof serviceSchema>
export type RawApplicationMap = z.infer<typeof applicationMapSchema>
export type RawAppFile = z.infer<typeof appFileSchema>

/** field names per kind of map, for "did you mean" hints */
export const knownFields = {
  application: Object.keys(applicationMapSchema.shape),
  service: Object.keys(serviceSchema.shape),
  binding: Object.keys(bindingSchema.shape),
  volume: Object.keys(volumeSchema.shape),
  envEntry: Object.keys(envEntrySchema.shape),
  watch: Object.keys(watchSchema.shape),
  probe: Object.keys(probeSchema.shape),
  httpProbe: Object.keys(httpProbeSchema.shape),
  tcpProbe: Object.keys(tcpProbeSchema.shape),
  execProbe: Object.keys(execProbeSchema.shape),
} as const

/**
 * The JSON Schema of app.yaml for editors (yaml-language-server reads draft-07 best).
 * schema/app.schema.json is this, committed; a test fails when it falls behind.
 */
export function appJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(appFileSchema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'throw',
    override: (ctx) => {
      // zod has no pattern keys; the loader sets x- fields aside before it validates
      if (ctx.zodSchema === applicationMapSchema) ctx.jsonSchema.patternProperties = { [EXTENSION_FIELD.source]: { description: 'extension field: ignored, a place for YAML anchors' } }
    },
  })
  return { ...generated, title: 'Micronetes app.yaml' }
}
