// The raw app.yaml fields of health and start order: readiness and liveness probes, dependsOn,
// the long form of restart, autoStart. Project Tye's spelling of probes is accepted as well
// (`protocol` for `scheme`, `headers` as a list of { name, value }, seconds as plain numbers).
import * as z from 'zod'

/** "5s", "500ms", "1.5s", "2m" */
const DURATION_TEXT = /^\d+(\.\d+)?(ms|s|m)$/

const port = z.number().int().min(1).max(65535)
const nonEmpty = z.string().min(1)

const duration = (what: string) =>
  z
    .union([z.number().min(0).max(3600), z.string().regex(DURATION_TEXT, { message: 'a duration must look like "5s", "500ms" or "2m"' })])
    .optional()
    .describe(what)

const headersSchema = z
  .union([
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('Header-Name: value'),
    z.array(z.strictObject({ name: nonEmpty.describe('header name'), value: z.union([z.string(), z.number(), z.boolean()]).describe('header value') })).describe("Tye's form: a list of { name, value }"),
  ])
  .describe('request headers: a map Name: value, or a list of { name, value }')

export const httpProbeSchema = z
  .strictObject({
    path: z.string().regex(/^\//, { message: 'a probe path must start with "/"' }).optional().describe('request path (default "/"); healthy answers are 2xx and 3xx'),
    binding: nonEmpty.optional().describe("the binding (by name) whose replica port is probed; default: the service's default binding"),
    port: port.optional().describe("a binding's port (that binding's replica port is probed), or else a fixed port to probe"),
    scheme: z.enum(['http', 'https']).optional().describe('http (default) or https; certificates are not checked'),
    protocol: z.enum(['http', 'https']).optional().describe("alias of scheme (Tye's spelling)"),
    headers: headersSchema.optional(),
  })
  .meta({ id: 'httpProbe', description: 'an HTTP GET to each replica: healthy on 2xx or 3xx' })

export const tcpProbeSchema = z
  .strictObject({
    binding: nonEmpty.optional().describe("the binding (by name) whose replica port is probed; default: the service's default binding"),
    port: port.optional().describe("a binding's port (that binding's replica port is probed), or else a fixed port to probe"),
  })
  .meta({ id: 'tcpProbe', description: 'a TCP connection to each replica: healthy when it is accepted' })

export const execProbeSchema = z
  .strictObject({
    command: z
      .union([nonEmpty, z.array(z.string()).min(1)])
      .describe("a command: a string split like a shell would (never run through one), or a list; run in the replica's working directory, or inside its container"),
  })
  .meta({ id: 'execProbe', description: 'a command run for each replica: healthy when it exits with code 0' })

export const probeSchema = z
  .strictObject({
    http: httpProbeSchema.optional(),
    tcp: tcpProbeSchema.optional(),
    exec: execProbeSchema.optional(),
    log: nonEmpty.optional().describe("readiness only: a regular expression; ready once a line of the replica's output matches"),
    initialDelay: duration('wait this long after a replica starts before the first check: seconds, or "2s" (default 0)'),
    period: duration('time between checks: seconds, or "500ms" (default 1s)'),
    timeout: duration('how long one check may take before it counts as a failure (default 1s)'),
    successThreshold: z.number().int().min(1).max(100).optional().describe('passes in a row that make a replica healthy again (default 1)'),
    failureThreshold: z.number().int().min(1).max(100).optional().describe('failures in a row that make a replica unready, or restart it for liveness (default 3)'),
  })
  .meta({ id: 'probe', description: 'a health check: exactly one of http, tcp, exec or (readiness only) log, with its timing' })

export const dependencyConditionSchema = z
  .enum(['started', 'ready', 'completed'])
  .describe('started: launched; ready: passes readiness (default); completed: exited with code 0, for jobs such as migrations')

export const dependsOnSchema = z
  .union([
    z.array(nonEmpty.describe('a service name')).describe('service names, each waited for until ready'),
    z.record(z.string(), z.union([z.strictObject({ condition: dependencyConditionSchema.optional() }), z.null()])).describe('name: { condition }'),
  ])
  .meta({ id: 'dependsOn', description: 'services that must meet a condition before this one starts: a list of names, or a map name: { condition: started | ready | completed }' })

export const restartPolicyValues = ['on-failure', 'always', 'never'] as const

export const restartSchema = z
  .union([
    z.enum(restartPolicyValues),
    z.strictObject({
      policy: z.enum(restartPolicyValues).optional().describe('on-failure (default), always, never'),
      maxRestarts: z.number().int().min(0).max(1_000_000).optional().describe('past this many restarts in a row a replica is failed until started by hand (default: no limit)'),
    }),
  ])
  .describe('when a replica that exits is started again: on-failure (default), always, never, or { policy, maxRestarts }')

/** the fields serviceSchema takes from here */
export const healthFields = {
  readiness: probeSchema.optional().describe('when a replica gets traffic; without it, when all its ports accept a TCP connection'),
  liveness: probeSchema.optional().describe('a replica that fails it failureThreshold times in a row is restarted'),
  dependsOn: dependsOnSchema.optional().describe('services that must be started, ready or completed before this one starts'),
  autoStart: z.boolean().optional().describe('false: listed, not started until someone starts it (default true)'),
}

export type RawProbe = z.infer<typeof probeSchema>
export type RawHttpProbe = z.infer<typeof httpProbeSchema>
export type RawDependsOn = z.infer<typeof dependsOnSchema>
export type RawRestart = z.infer<typeof restartSchema>
