// Checks a generated object against the Kubernetes API's OpenAPI schema of its kind, as
// kubernetes-models ships it (its validate() runs the schema of the apiVersion and kind).
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
}

/** throws, naming the object and what is wrong, unless the object is valid for its kind */
export function validateKubernetesObject(object: { apiVersion: string; kind: string; metadata?: { name?: string } }): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`]
  if (Model === undefined) throw new Error(`no schema here for ${object.apiVersion} ${object.kind}`)
  try {
    new Model(structuredClone(object) as never).validate()
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata?.name ?? '?'}: ${(error as Error).message}`, { cause: error })
  }
}
