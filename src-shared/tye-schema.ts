// The fields of Project Tye's tye.yaml that Micronetes accepts as they are written, so a Tye
// application runs unchanged. Kept apart from app-schema.ts, which spreads them into its maps;
// the loader's tye-fields.ts gives each its meaning.
import * as z from 'zod'

const nonEmpty = z.string().min(1)
const port = z.number().int().min(1).max(65535)
const scalarValue = z.union([z.string(), z.number(), z.boolean()])

/** Tye writes binding names freely (`myBinding`); they become variable names, so no spaces or ":" */
export const BINDING_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?$/
export const BINDING_NAME_RULE = 'letters, digits, "-" and "_", starting and ending with a letter or digit, at most 63 characters'

/** Tye's service names are DNS labels compared without case: `appA` is the service `appa` */
export const SERVICE_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/

export const buildPropertySchema = z
  .strictObject({ name: nonEmpty.describe('property name'), value: scalarValue.describe('property value') })
  .describe('one name and its value')

const stringList = (what: string) => z.union([nonEmpty, z.array(nonEmpty)]).describe(what)

export const dockerFileArgsSchema = z
  .union([
    z.record(z.string(), scalarValue).describe('ARG: value'),
    z.array(z.union([z.record(z.string(), scalarValue).describe('ARG: value (several per item allowed)'), z.string().describe('ARG=value')])),
  ])
  .meta({ id: 'dockerFileArgs', description: 'build arguments (docker build --build-arg): a map, or a list of ARG: value maps or ARG=value' })

/** service fields from Tye */
export const tyeServiceFields = {
  projectFile: nonEmpty.optional().describe('alias of project'),
  env_file: stringList('dotenv files (KEY=value lines) read into the environment, relative to the file that names them').optional(),
  dockerFile: nonEmpty.optional().describe('a Dockerfile to build the image from on the Docker engine (its cache used); the service then runs as containers of it, tagged "image" when given'),
  dockerFileArgs: dockerFileArgsSchema.optional().describe('build arguments for the Dockerfile (docker build --build-arg)'),
  dockerFileContext: nonEmpty.optional().describe("the build context folder, relative to the file (default: the Dockerfile's folder)"),
  buildProperties: z.array(buildPropertySchema).optional().describe('MSBuild properties passed to the .NET build as -p:Name=Value'),
  azureFunction: nonEmpty.optional().describe('a folder holding an Azure Functions project, run with Azure Functions Core Tools (func start)'),
  pathToFunc: nonEmpty.optional().describe('the func program for azureFunction (default: func on PATH)'),
  include: nonEmpty.optional().describe('another tye.yaml / app.yaml whose services join the application; its paths are relative to it'),
  tags: z.array(z.union([z.string(), z.number()])).optional().describe('labels for choosing services (shown, not used to filter yet)'),
  namespace: nonEmpty.optional().describe('Kubernetes namespace for this service (kept for generate; no effect on run)'),
} as const

/** binding fields from Tye */
export const tyeBindingFields = {
  routes: z.array(z.string().regex(/^\//, { message: 'a path starting with "/"' })).optional().describe('paths shown as links beside the binding in the dashboard, e.g. /swagger'),
  internalPort: port.optional().describe('alias of containerPort (Tye\'s older name)'),
  autoAssignPort: z.boolean().optional().describe('Tye\'s flag for a port chosen at start; a binding without "port" gets one anyway'),
} as const

export const ingressBindingSchema = z
  .strictObject({
    name: z.string().regex(BINDING_NAME, { message: `an ingress binding name must be ${BINDING_NAME_RULE}` }).optional().describe('binding name'),
    port: port.optional().describe('the port the ingress listens on (assigned at start when absent)'),
    protocol: z.enum(['http', 'https']).optional().describe('http (https is not served yet)'),
    ip: nonEmpty.optional().describe('address to listen on: localhost (default), "*" for every address, or an IP'),
  })
  .meta({ id: 'ingressBinding', description: 'a port of the ingress' })

export const ingressRuleSchema = z
  .strictObject({
    service: nonEmpty.describe('the service that gets the requests this rule matches'),
    path: z.string().regex(/^\//, { message: 'a path starting with "/"' }).optional().describe('path prefix, case-insensitive (default: every path)'),
    host: nonEmpty.optional().describe('the Host header to match (default: every host)'),
    preservePath: z.boolean().optional().describe('true: the matched prefix is kept in the path sent to the service (default: trimmed)'),
  })
  .meta({ id: 'ingressRule', description: 'which requests go to which service' })

export const ingressSchema = z
  .strictObject({
    name: nonEmpty.describe('ingress name; shown as a service'),
    bindings: z.array(ingressBindingSchema).optional().describe('the ports it listens on'),
    rules: z.array(ingressRuleSchema).optional().describe('routing rules, by host and path prefix; the most specific match wins'),
  })
  .meta({ id: 'ingress', description: 'an HTTP reverse proxy routing by host and path to the services' })

export const extensionSchema = z
  .looseObject({ name: z.enum(['dapr', 'zipkin', 'elastic', 'seq']).describe('dapr, zipkin, elastic or seq') })
  .meta({ id: 'extension', description: "one of Tye's extensions with its own settings" })

export const registrySchema = z
  .union([nonEmpty, z.looseObject({ hostname: nonEmpty.describe('registry host') })])
  .describe('container registry for image names (kept for generate; no effect on run)')

/** root fields from Tye */
export const tyeApplicationFields = {
  dashboardPort: port.optional().describe('port of the HTTP API and dashboard (a --port on the command line wins)'),
  network: nonEmpty.optional().describe("the Docker network the containers join (created when missing, left in place); default: one of the run's own"),
  registry: registrySchema.optional(),
  namespace: nonEmpty.optional().describe('Kubernetes namespace (kept for generate; no effect on run)'),
  solution: nonEmpty.optional().describe('a .sln / .slnf that Tye builds in watch mode (kept; projects are built one by one)'),
  extensions: z.array(extensionSchema).optional().describe('dapr (a daprd sidecar per replica), zipkin, elastic, seq (their containers)'),
  ingress: z.array(ingressSchema).optional().describe('HTTP reverse proxies in front of the services, routing by host and path'),
} as const

export type RawIngress = z.infer<typeof ingressSchema>
export type RawExtension = z.infer<typeof extensionSchema>
