// The application as the orchestrator sees it: app.yaml after loading, aliases folded,
// defaults filled and paths made absolute. The loader (src-main/core/config) produces it
// from the raw schema in app-schema.ts; everything downstream reads only this shape.

export type ServiceKind = 'project' | 'executable' | 'container' | 'external'

export type RestartPolicy = 'on-failure' | 'always' | 'never'

export interface EnvVar {
  name: string
  value: string
}

export interface Binding {
  /** undefined for the default (unnamed) binding */
  name?: string
  /** the port users and other services connect to; assigned at start when absent */
  port?: number
  /** containers only: the port inside the container (default: port) */
  containerPort?: number
  /** the host other services use; default localhost */
  host: string
  /** default http */
  protocol: string
  /** may hold ${host} and ${port} */
  connectionString?: string
}

export interface Volume {
  /** absolute path on the host */
  source: string
  /** path inside the container */
  target: string
  readOnly: boolean
}

export interface Service {
  name: string
  kind: ServiceKind
  /** absolute path of a folder, package.json, .csproj or .fsproj (kind 'project') */
  project?: string
  /** program to run (kind 'executable'): as written, or absolute when it was a relative path */
  executable?: string
  /** image reference (kind 'container') */
  image?: string
  /** arguments, already split like a shell would, never run through one */
  args: string[]
  /** absolute */
  workingDirectory?: string
  replicas: number
  env: EnvVar[]
  bindings: Binding[]
  restart: RestartPolicy
  stopGracePeriodMs: number
  volumes: Volume[]
}

export interface Application {
  name: string
  /** absolute path of the app.yaml it came from */
  source: string
  /** absolute folder of source: relative paths resolved from here */
  directory: string
  services: Service[]
}

export const DEFAULT_STOP_GRACE_PERIOD_MS = 5000
