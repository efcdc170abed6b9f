// Names and labels of the generated Kubernetes objects.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'

type ObjectMeta = NonNullable<IConfigMap['metadata']>

export const NAME_LABEL = 'app.kubernetes.io/name'
export const PART_OF_LABEL = 'app.kubernetes.io/part-of'
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'

const MAX_LABEL = 63

/**
 * The application's name as a DNS label and label value: service names are DNS labels
 * already (the schema says so), but an application may be named anything, or after its folder.
 */
export function applicationLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, MAX_LABEL)
    .replace(/^-+|-+$/g, '')
  return label === '' ? 'app' : label
}

/** a DNS label made of a prefix and a name, cut to 63 characters */
export function prefixedLabel(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, MAX_LABEL).replace(/-+$/, '')
}

export interface Naming {
  application: string
  namespace?: string
}

export function selectorLabels(naming: Naming, service: string): Record<string, string> {
  return { [NAME_LABEL]: service, [PART_OF_LABEL]: naming.application }
}

export function objectMeta(naming: Naming, name: string, service?: string): ObjectMeta {
  const labels = service === undefined ? { [PART_OF_LABEL]: naming.application } : selectorLabels(naming, service)
  return {
    name,
    ...(naming.namespace !== undefined ? { namespace: naming.namespace } : {}),
    labels: { ...labels, [MANAGED_BY_LABEL]: 'micronetes' },
  }
}

/** the name other pods reach a Service by: short within its namespace, qualified when one is given */
export function serviceHost(naming: Naming, service: string): string {
  return naming.namespace === undefined ? service : `${service}.${naming.namespace}.svc`
}
