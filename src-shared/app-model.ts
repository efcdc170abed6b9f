// The application as the orchestrator sees it: app.yaml after loading, aliases folded,
// defaults filled and paths made absolute. The loader (src-main/core/config) produces it
// from the raw schema in app-schema.ts; everything downstream reads only this shape.

export type ServiceKind = 'project' | 'executable' | 'container' | 'external'

export type RestartPolicy = 'on-failure' | 'always' | 'never'

/** how a probe tells health; one of these per probe */
export type ProbeCheck =
  | {
      kind: 'http'
      /** request path, starting with "/" */
      path: string
      /** the binding (by name; undefined: the default binding) whose replica port is probed, unless port is given */
      binding?: string
      /** a fixed port to probe instead of a binding's replica port */
      port?: number
      scheme: 'http' | 'https'
      headers: EnvVar[]
    }
  | { kind: 'tcp'; binding?: string; port?: number }
  /** exit 0 is healthy; run in the replica's working directory, or inside its container */
  | { kind: 'exec'; command: string[] }
  /** readiness only: ready once a line of the replica's output matches */
  | { kind: 'log'; pattern: string }

export interface Probe {
  check: ProbeCheck
  initialDelayMs: number
  periodMs: number
  timeoutMs: number
  successThreshold: number
  failureThreshold: number
}

/** started: launched; ready: passes readiness; completed: exited with code 0 (a job) */
export type DependencyCondition = 'started' | 'ready' | 'completed'

export interface Dependency {
  service: string
  condition: DependencyCondition
}

export interface Watch {
  /** absolute paths or globs */
  paths: string[]
  /** globs left out, beside the defaults (node_modules, .git, build outputs) unless named in paths */
  ignore: string[]
  debounceMs: number
  action: 'restart' | 'rebuild'
  /** true: dependents are restarted too */
  cascade: boolean
}

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
  /** true: a connection string and nothing else (Tye): no port, no proxy, only CONNECTIONSTRINGS__* */
  connectionStringOnly?: boolean
  /** paths shown as links beside the binding (Tye's `routes`), each starting with "/" */
  routes?: string[]
}

export interface Volume {
  /** absolute path on the host; undefined for a named volume */
  source?: string
  /** a named Docker volume (Tye's `name`), created by the engine when missing */
  name?: string
  /** path inside the container */
  target: string
  readOnly: boolean
}

/** CPU in Kubernetes' spelling ("0.5", "500m"), memory in bytes or with a unit ("256Mi") */
export interface ResourceAmounts {
  cpu?: string
  memory?: string
}

/** how the service runs once generated for a cluster or Compose; `micronetes run` ignores it */
export interface Deploy {
  /** the image that runs the service there (a container service: instead of its own image) */
  image?: string
  requests?: ResourceAmounts
  limits?: ResourceAmounts
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
  /** past this many restarts a replica is failed until started by hand; undefined: no limit */
  maxRestarts?: number
  stopGracePeriodMs: number
  volumes: Volume[]
  /** without it, ready = every port accepts a TCP connection (running, without bindings) */
  readiness?: Probe
  liveness?: Probe
  /** what must hold before this service starts */
  dependsOn: Dependency[]
  /** false: listed, not started until asked */
  autoStart: boolean
  /** a command run (through no shell: split like args) before the first start and each rebuild */
  build?: string[]
  watch?: Watch
  /** absolute paths of dotenv files read into env, in order (later wins; env wins over them) */
  envFiles: string[]
  deploy?: Deploy
  /** Tye's `tags`: labels shown with the service */
  tags?: string[]
  /** Tye's `dockerFile`: the image (`image`, the tag given to it) is built on the engine before it runs */
  dockerBuild?: DockerBuild
  /** a .NET project as Tye runs one: built once (unless build is false), then `dotnet run --no-build` */
  dotnetBuild?: DotnetBuild
  /** Tye's dapr extension: this service is the daprd sidecar of another, one replica per replica */
  daprSidecar?: DaprSidecar
  /** Tye's `azureFunction`: run with Azure Functions Core Tools (`func start`) in this absolute folder */
  azureFunction?: { folder: string; func: string }
}

export interface DaprSidecar {
  /** the service whose replicas it serves */
  app: string
  appId: string
  /** daprd flags from the extension's settings (`--name value`), e.g. --config, --log-level */
  flags: string[]
}

/** Tye's `extensions`, as written, for the API to show */
export interface Extension {
  name: 'dapr' | 'zipkin' | 'elastic' | 'seq'
}

export interface DotnetBuild {
  /** false: Tye's `build: false`, the project is run as already built */
  build: boolean
  /** MSBuild properties (Tye's `buildProperties`), passed as -p:Name=Value */
  properties: EnvVar[]
}

export interface DockerBuild {
  /** absolute path of the Dockerfile, inside context */
  dockerfile: string
  /** absolute folder sent to the engine as the build context */
  context: string
  /** --build-arg NAME=value, in the file's order */
  args: EnvVar[]
}

export interface Application {
  name: string
  /** absolute path of the app.yaml it came from */
  source: string
  /** absolute folder of source: relative paths resolved from here */
  directory: string
  services: Service[]
  /** Tye's `dashboardPort`: the API's port unless the command line names one */
  dashboardPort?: number
  /** Tye's `network`: the Docker network containers join, instead of one made for the run */
  network?: string
  /** Tye's `registry`: what `generate` tags images built from a Dockerfile for (--registry overrides) */
  registry?: string
  /** Tye's `namespace`: the Kubernetes namespace `generate k8s` puts every object in (--namespace overrides) */
  namespace?: string
  /** absolute paths of the files that `include` brought in, in the order they were read */
  includes?: string[]
  /** Tye's `ingress`: HTTP reverse proxies routing by host and path to the services */
  ingress?: Ingress[]
  /** Tye's `extensions`; what each adds is among the services already (sidecars, containers) */
  extensions?: Extension[]
}

export interface Ingress {
  /** lower case, like a service name; shown beside the services */
  name: string
  bindings: IngressBinding[]
  /** in the file's order; the most specific match wins (see core/ingress/ingress-routes.ts) */
  rules: IngressRule[]
}

export interface IngressBinding {
  name?: string
  /** assigned at start when absent */
  port?: number
  protocol: 'http'
  /** the address it listens on: 127.0.0.1 for localhost (the default), "*" for every address */
  ip: string
}

export interface IngressRule {
  /** a service of the application (lower case) */
  service: string
  /** a path prefix starting with "/", without a trailing "/" (except "/" itself); matched without case */
  path?: string
  /** the Host to match, lower case, without a port */
  host?: string
  /** true: the matched prefix stays in the path sent to the service */
  preservePath: boolean
}

export const DEFAULT_STOP_GRACE_PERIOD_MS = 5000

/**
 * The bindings a replica listens on, in order: one internal port, one proxy each. A binding
 * with only a connection string is published to the others, never listened on.
 */
export function listeningBindings(service: Service): Binding[] {
  return service.bindings.filter((b) => b.connectionStringOnly !== true)
}
