// Fields of Project Tye's tye.yaml that Micronetes does not run yet. A Tye user who meets one
// must learn that it is a known Tye feature still missing here, and what to do meanwhile,
// never read "unknown field" as if the file were wrong.
import type { Kind } from './where'

const NOT_YET: Partial<Record<Kind, Record<string, string>>> = {
  application: {
    containerEngine: 'containers run on the Docker engine that DOCKER_HOST names; point DOCKER_HOST at a Podman socket to use Podman',
  },
  service: {
    repository: 'clone the repository yourself and "include" its tye.yaml',
    cloneDirectory: 'clone the repository yourself and "include" its tye.yaml',
  },
}

/** the message for a Tye field Micronetes does not support yet, or undefined for any other key */
export function tyeFeatureMessage(kind: Kind, key: string): string | undefined {
  const fields = NOT_YET[kind]
  if (fields === undefined || !Object.hasOwn(fields, key)) return undefined
  const advice = fields[key]
  return `"${key}" is a Project Tye feature that Micronetes does not support yet; ${advice} (see docs/coming-from-tye.md)`
}
