// The raw app.yaml field deploy: how a service runs once `micronetes generate` writes it for
// Kubernetes or Compose. `micronetes run` ignores it.
import * as z from 'zod'

const nonEmpty = z.string().min(1)

/** Kubernetes' CPU amounts: cores ("0.5", "2") or millicores ("500m") */
export const CPU_AMOUNT = /^(\d+(\.\d+)?|\d+m)$/
/** bytes, or with a unit: "512Mi", "1Gi" (powers of 1024), "500M", "1G" (powers of 1000) */
export const MEMORY_AMOUNT = /^\d+(\.\d+)?([KMGT]i?|k)?$/

export const resourceAmountsSchema = z
  .strictObject({
    cpu: z
      .union([z.number().positive(), z.string().regex(CPU_AMOUNT, { message: 'cores ("0.5", "2") or millicores ("500m")' })])
      .optional()
      .describe('CPU: cores ("0.5", 2) or millicores ("500m")'),
    memory: z
      .union([z.number().int().positive(), z.string().regex(MEMORY_AMOUNT, { message: 'bytes, or a number with Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000) such as "256Mi"' })])
      .optional()
      .describe('memory: bytes, or "256Mi", "1Gi" (powers of 1024), "500M", "1G" (powers of 1000)'),
  })
  .meta({ id: 'resourceAmounts', description: 'amounts of CPU and memory' })

export const deploySchema = z
  .strictObject({
    image: nonEmpty
      .optional()
      .describe('the image that runs this service in a cluster or in Compose (needed for project and executable services; for a dockerImage service, used instead of it)'),
    resources: z
      .strictObject({
        requests: resourceAmountsSchema.optional().describe('what each replica is guaranteed (Compose: reservations)'),
        limits: resourceAmountsSchema.optional().describe('what each replica may use at most'),
      })
      .optional()
      .describe('CPU and memory of each replica'),
  })
  .meta({ id: 'deploy', description: 'how the service runs once generated for Kubernetes or Compose (micronetes generate); micronetes run ignores it' })

export type RawDeploy = z.infer<typeof deploySchema>
